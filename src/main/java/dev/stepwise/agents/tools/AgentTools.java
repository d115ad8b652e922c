package dev.stepwise.agents.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.agents.Tool;
import dev.stepwise.app.Config;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs the tools of {@link Tool#ALL} for agent runs and direct calls, and decides which calls wait
 * for a person. Shared by every run; thread-safe.
 */
public final class AgentTools {
  /** Shell syntax that makes a command line more than the plain command it starts with. */
  private static final Pattern SHELL_SYNTAX = Pattern.compile("[;|&$`<>\\n\\r(){}*?!~\\\\'\"#]");
  private static final int MAX_ARGUMENT = 256 * 1024;

  private final List<String> safeCommands;
  private final ShellTool shell = new ShellTool();
  private final HttpGetTool httpGet;

  public AgentTools(Config.Tools settings) {
    this.safeCommands = settings.safeCommands();
    this.httpGet = new HttpGetTool(settings.httpAllow());
  }

  /** Why the arguments do not fit the tool, or {@code null} when they do. */
  public String invalid(String name, Map<String, Object> arguments) {
    Tool tool = Tool.named(name).orElse(null);
    if (tool == null) return "there is no tool named '" + name + "'; tools: " + String.join(", ", Tool.names());
    for (String parameter : tool.parameters().keySet()) {
      Object value = arguments.get(parameter);
      if (!(value instanceof String text)) return "argument '" + parameter + "' is required and must be a string";
      if (text.length() > MAX_ARGUMENT) return "argument '" + parameter + "' is longer than " + MAX_ARGUMENT + " characters";
    }
    for (String given : arguments.keySet()) {
      if (!tool.parameters().containsKey(given)) {
        return "unknown argument '" + given + "'; " + name + " takes " + String.join(", ", tool.parameters().keySet());
      }
    }
    if (name.equals("shell") && ((String) arguments.get("command")).isBlank()) return "argument 'command' is empty";
    if (arguments.get("path") instanceof String path && Workspace.pathProblem(path) != null) {
      return "argument 'path': " + Workspace.pathProblem(path);
    }
    return null;
  }

  /**
   * Whether the call waits for a person. {@code risky}: a shell command off the safe list, any
   * file write; reading files, listing them and fetching public URLs are not risky.
   */
  public boolean needsApproval(ApprovalMode mode, String tool, Map<String, Object> arguments) {
    return switch (mode) {
      case ALWAYS -> true;
      case NEVER -> false;
      case RISKY -> switch (tool) {
        case "shell" -> !safe((String) arguments.get("command"));
        case "write_file" -> true;
        default -> false;
      };
    };
  }

  /** Whether a command line is one of the safe commands, with plain arguments at most. */
  boolean safe(String command) {
    String line = command.strip().replaceAll("[ \\t]+", " ");
    if (SHELL_SYNTAX.matcher(line).find()) return false;
    for (String word : line.split(" ")) {
      // paths stay in the workspace, and nothing is written through an option
      if (word.startsWith("/") || word.contains("..") || word.startsWith("--output") || word.startsWith("-o")) {
        return false;
      }
    }
    return safeCommands.stream().anyMatch(safe -> line.equals(safe) || line.startsWith(safe + " "));
  }

  /** Runs a call whose arguments passed {@link #invalid}. */
  public ToolResult run(String tool, Map<String, Object> arguments, ToolContext context) throws InterruptedException {
    return switch (tool) {
      case "shell" -> shell.run((String) arguments.get("command"), context);
      case "http_get" -> httpGet.fetch((String) arguments.get("url"), context);
      case "read_file", "write_file", "list_files" -> files(tool, arguments, context);
      default -> ToolResult.refused("there is no tool named '" + tool + "'");
    };
  }

  private static ToolResult files(String tool, Map<String, Object> arguments, ToolContext context) {
    Workspace workspace;
    try {
      workspace = new Workspace(context.workspace());
    } catch (IOException e) {
      return ToolResult.refused("the workspace cannot be opened: " + e.getMessage());
    }
    String path = (String) arguments.get("path");
    ToolResult result = switch (tool) {
      case "read_file" -> workspace.read(path);
      case "write_file" -> workspace.write(path, (String) arguments.get("content"));
      default -> workspace.list(path);
    };
    context.log().line(tool + " " + path + (result.refused() ? ": " + result.output() : ""));
    return result;
  }

  /** What the model is told about the tools it has. */
  public static List<ToolSpecification> specifications(List<String> names) {
    List<ToolSpecification> specifications = new ArrayList<>();
    for (String name : names) {
      Tool tool = Tool.named(name).orElseThrow();
      var parameters = JsonObjectSchema.builder();
      tool.parameters().forEach(parameters::addStringProperty);
      parameters.required(List.copyOf(tool.parameters().keySet()));
      specifications.add(ToolSpecification.builder().name(tool.name()).description(tool.description())
          .parameters(parameters.build()).build());
    }
    return specifications;
  }
}
