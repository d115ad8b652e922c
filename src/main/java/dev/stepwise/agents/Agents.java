package dev.stepwise.agents;

import dev.stepwise.app.Config;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents this server offers: the built-in {@code default}, and one per {@code *.yaml} file in
 * {@code <data-dir>/agents/}, read again whenever the directory's files change. A file with
 * problems is left out and its problems are kept, so that a bad edit never takes away the agents
 * that were fine. Thread-safe.
 */
public final class Agents {
  private static final Logger log = LoggerFactory.getLogger(Agents.class);
  /** What an agent's name looks like, and the same in words. */
  public static final Pattern NAME = AgentParser.NAME;
  public static final String NAME_RULE = "must be an agent name: lower-case letters, digits, '.', '_' or '-'";
  static final String DEFAULT = "default";
  static final String DEMO = "demo";

  private final Path directory;
  private final List<AgentDefinition> builtIn;
  private Map<Path, FileTime> seen = Map.of();
  private Map<String, AgentDefinition> fromFiles = Map.of();
  private Map<String, Map<String, String>> problems = Map.of();

  public Agents(Path directory, Config.Model model) {
    this.directory = directory;
    this.builtIn = List.of(defaultAgent(model), demoAgent());
  }

  /** Every agent, the built-in ones first (unless a file redefines them) and then by name. */
  public synchronized List<AgentDefinition> all() {
    reloadIfChanged();
    List<AgentDefinition> agents = new ArrayList<>();
    builtIn.stream().filter(agent -> !fromFiles.containsKey(agent.name())).forEach(agents::add);
    fromFiles.values().stream().sorted(Comparator.comparing(AgentDefinition::name)).forEach(agents::add);
    return agents;
  }

  public Optional<AgentDefinition> named(String name) {
    return all().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The agent a request names; a 422 on {@code agent}, saying where to look, when there is none. */
  public AgentDefinition require(String name) {
    return named(name).orElseThrow(() -> ApiError.validation("agent",
        "there is no agent named '" + name + "'; see GET /api/v1/agents"));
  }

  /** The problems of each agent file that could not be used, by file name. */
  public synchronized Map<String, Map<String, String>> problems() {
    reloadIfChanged();
    return problems;
  }

  private void reloadIfChanged() {
    Map<Path, FileTime> now = scan();
    if (now.equals(seen)) return;
    Map<String, AgentDefinition> agents = new LinkedHashMap<>();
    Map<String, Map<String, String>> bad = new LinkedHashMap<>();
    for (Path file : now.keySet()) {
      String label = file.getFileName().toString();
      try {
        AgentDefinition agent = AgentParser.parse(Files.readString(file, StandardCharsets.UTF_8), "agents/" + label);
        if (agents.containsKey(agent.name())) {
          bad.put(label, Map.of("name", "'" + agent.name() + "' is already defined by " + agents.get(agent.name()).source()));
        } else {
          agents.put(agent.name(), agent);
        }
      } catch (AgentParser.Invalid e) {
        bad.put(label, e.problems());
      } catch (IOException e) {
        bad.put(label, Map.of("file", "could not be read: " + e.getMessage()));
      }
    }
    bad.forEach((file, found) -> log.warn("agent file agents/{} is not used: {}", file, found));
    seen = now;
    fromFiles = Map.copyOf(agents);
    problems = Map.copyOf(bad);
  }

  private Map<Path, FileTime> scan() {
    if (!Files.isDirectory(directory)) return Map.of();
    Map<Path, FileTime> files = new java.util.TreeMap<>();
    try (Stream<Path> list = Files.list(directory)) {
      for (Path file : list.filter(p -> p.getFileName().toString().endsWith(".yaml")
          || p.getFileName().toString().endsWith(".yml")).toList()) {
        if (Files.isRegularFile(file)) files.put(file, Files.getLastModifiedTime(file));
      }
    } catch (IOException e) {
      log.warn("cannot list the agents directory {}: {}", directory, e.toString());
    }
    return files;
  }

  /**
   * The built-in {@code demo} agent: scripted, so it needs no model, and it makes one real and
   * harmless tool call ({@code uname -a}, a safe command that needs no approval), so that a new
   * user sees every agent event ({@code agent_started}, {@code agent_thinking},
   * {@code tool_executing}, {@code tool_completed}, {@code agent_completed}) on a fresh server.
   */
  private static AgentDefinition demoAgent() {
    var arguments = Json.mapper().createObjectNode().put("command", "uname -a");
    var spec = new AgentDefinition.ModelSpec("scripted", null, null, null, List.of(
        new AgentDefinition.ScriptedTurn("I will ask the machine what it is, with one harmless shell command.", "shell",
            arguments, null),
        new AgentDefinition.ScriptedTurn("The command ran; its output is in tool_completed.", null, null,
            "I ran `uname -a` on the server and got its answer. I am a scripted demo: configure a model "
                + "(model.provider, model.base_url, model.name) and talk to the default agent for real answers.")));
    Map<String, ApprovalMode> approval = new LinkedHashMap<>();
    approval.put("shell", ApprovalMode.RISKY);
    return new AgentDefinition(DEMO, "A scripted demo that runs one harmless command (uname -a); needs no model", spec,
        "You are the demo agent.", List.of("shell"), approval, AgentDefinition.Limits.DEFAULT, "built-in");
  }

  /**
   * The built-in agent: the server's configured model with read-only tools; without one, a
   * scripted agent that says how to configure a model.
   */
  private static AgentDefinition defaultAgent(Config.Model model) {
    AgentDefinition.ModelSpec spec = model.configured()
        ? new AgentDefinition.ModelSpec(model.provider(), model.baseUrl(), model.name(), null, List.of())
        : new AgentDefinition.ModelSpec("scripted", null, null, null, List.of(new AgentDefinition.ScriptedTurn(null,
            null, null, "No model is configured on this server. Set model.provider, model.base_url and model.name "
                + "(or STEPWISE_MODEL_*), or add an agent file under <data-dir>/agents/.")));
    List<String> tools = List.of("read_file", "list_files");
    Map<String, ApprovalMode> approval = new LinkedHashMap<>();
    tools.forEach(t -> approval.put(t, ApprovalMode.NEVER));
    return new AgentDefinition(DEFAULT, "A general assistant that can read the run's workspace", spec,
        "You are a careful assistant. Answer briefly and say what you did.", tools, approval,
        AgentDefinition.Limits.DEFAULT, "built-in");
  }
}
