package dev.stepwise.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.plans.FieldReader;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an agent definition from YAML strictly: unknown fields, unknown tools, approval for a tool
 * the agent does not have, a scripted turn with both a tool and a reply — each is a problem named
 * by its path, and all of them are reported at once.
 */
public final class AgentParser {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> PROVIDERS = Set.of("openai", "ollama", "anthropic", "scripted");
  private static final ObjectMapper YAML = new ObjectMapper(Json.yamlFactory());

  private AgentParser() {}

  /** The definition's problems by field path. */
  public static final class Invalid extends RuntimeException {
    private final Map<String, String> problems;

    Invalid(Map<String, String> problems) {
      super(String.join("; ", problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
      this.problems = Map.copyOf(problems);
    }

    public Map<String, String> problems() {
      return problems;
    }
  }

  public static AgentDefinition parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Invalid(Map.of("file", "is not YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Invalid(Map.of("file", "could not be read: " + e.getMessage()));
    }
    if (root == null || !root.isObject()) throw new Invalid(Map.of("file", "must be a mapping of an agent's fields"));
    Map<String, String> problems = new LinkedHashMap<>();
    var fields = new FieldReader(root, "", problems);
    String name = fields.string("name", true, 64);
    if (name != null && !NAME.matcher(name).matches()) {
      fields.problem("name", "must be lower-case letters, digits, '.', '_' or '-'");
    }
    String description = fields.string("description", false, 1000);
    AgentDefinition.ModelSpec model = model(fields, problems);
    String systemPrompt = fields.string("system_prompt", false, 20_000);
    List<String> tools = fields.strings("tools", 20, 64);
    for (int i = 0; i < tools.size(); i++) {
      if (Tool.named(tools.get(i)).isEmpty()) {
        problems.putIfAbsent("tools[" + i + "]", "unknown tool '" + tools.get(i) + "'; known: " + Tool.names());
      }
    }
    Map<String, ApprovalMode> approval = approval(fields, tools, problems);
    AgentDefinition.Limits limits = limits(fields, problems);
    fields.finish();
    if (!problems.isEmpty()) throw new Invalid(problems);
    return new AgentDefinition(name, description == null ? "" : description, model,
        systemPrompt == null ? "" : systemPrompt, tools, approval, limits, source);
  }

  private static AgentDefinition.ModelSpec model(FieldReader fields, Map<String, String> problems) {
    JsonNode node = fields.object("model");
    if (node == null) {
      if (!fields.has("model")) fields.problem("model", "is required");
      return null;
    }
    var model = new FieldReader(node, "model", problems);
    String provider = model.string("provider", true, 32);
    if (provider != null && !PROVIDERS.contains(provider)) {
      model.problem("provider", "must be one of " + PROVIDERS.stream().sorted().toList());
    }
    String baseUrl = model.string("base_url", false, 2000);
    if (baseUrl != null && !baseUrl.matches("https?://[^\\s@]+")) {
      model.problem("base_url", "must be an http:// or https:// URL without credentials");
    }
    String name = model.string("model", !"scripted".equals(provider), 200);
    String apiKeyEnv = model.string("api_key_env", false, 100);
    if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Z_][A-Z0-9_]*")) {
      model.problem("api_key_env", "must name an environment variable, such as OPENAI_API_KEY");
    }
    List<AgentDefinition.ScriptedTurn> script = new ArrayList<>();
    JsonNode turns = model.array("script");
    if ("scripted".equals(provider) && (turns == null || turns.isEmpty())) {
      model.problem("script", "a scripted model needs at least one turn");
    }
    if (turns != null) {
      for (int i = 0; i < turns.size() && i < 200; i++) script.add(turn(turns.get(i), "model.script[" + i + "]", problems));
      if (!script.isEmpty() && script.getLast() != null && script.getLast().reply() == null) {
        problems.putIfAbsent("model.script", "the last turn must be a reply");
      }
    }
    model.finish();
    return new AgentDefinition.ModelSpec(provider, baseUrl, name, apiKeyEnv, script);
  }

  private static AgentDefinition.ScriptedTurn turn(JsonNode node, String path, Map<String, String> problems) {
    if (!node.isObject()) {
      problems.putIfAbsent(path, "must be a mapping with thinking, and tool or reply");
      return null;
    }
    var turn = new FieldReader(node, path, problems);
    String thinking = turn.string("thinking", false, 10_000);
    String reply = turn.string("reply", false, 100_000);
    JsonNode tool = turn.object("tool");
    String toolName = null;
    JsonNode arguments = null;
    if (tool != null) {
      var call = new FieldReader(tool, path + ".tool", problems);
      toolName = call.string("name", true, 64);
      if (toolName != null && Tool.named(toolName).isEmpty()) call.problem("name", "unknown tool '" + toolName + "'");
      arguments = call.object("arguments");
      call.finish();
    }
    if ((tool == null) == (reply == null)) turn.problem("tool", "give exactly one of tool or reply");
    turn.finish();
    return new AgentDefinition.ScriptedTurn(thinking, toolName, arguments, reply);
  }

  private static Map<String, ApprovalMode> approval(FieldReader fields, List<String> tools, Map<String, String> problems) {
    Map<String, ApprovalMode> policy = new LinkedHashMap<>();
    for (String tool : tools) Tool.named(tool).ifPresent(t -> policy.put(tool, t.defaultApproval()));
    JsonNode node = fields.object("approval");
    if (node == null) return policy;
    node.fields().forEachRemaining(entry -> {
      String path = "approval." + entry.getKey();
      ApprovalMode mode = entry.getValue().isTextual() ? ApprovalMode.parse(entry.getValue().asText()) : null;
      if (!tools.contains(entry.getKey())) problems.putIfAbsent(path, "is not one of this agent's tools " + tools);
      else if (mode == null) problems.putIfAbsent(path, "must be always, never or risky");
      else policy.put(entry.getKey(), mode);
    });
    return policy;
  }

  private static AgentDefinition.Limits limits(FieldReader fields, Map<String, String> problems) {
    JsonNode node = fields.object("limits");
    if (node == null) return AgentDefinition.Limits.DEFAULT;
    var limits = new FieldReader(node, "limits", problems);
    var defaults = AgentDefinition.Limits.DEFAULT;
    int maxTurns = limits.integer("max_turns", 1, 200, defaults.maxTurns());
    int maxToolCalls = limits.integer("max_tool_calls", 0, 1000, defaults.maxToolCalls());
    Duration timeout = limits.duration("timeout", Duration.ofSeconds(1), Duration.ofHours(24));
    limits.finish();
    return new AgentDefinition.Limits(maxTurns, maxToolCalls, timeout == null ? defaults.timeout() : timeout);
  }
}
