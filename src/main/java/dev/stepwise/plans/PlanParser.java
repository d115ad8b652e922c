package dev.stepwise.plans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses plans from YAML or JSON strictly (API.md §4): every invalid or unknown field is reported
 * with its path, and nothing is guessed. Thread-safe.
 */
public final class PlanParser {
  public static final int MAX_STEPS = 200;
  public static final int MAX_RUN_LENGTH = 65_536;
  static final int MAX_NAME = 200;
  static final int MAX_ENV = 200;
  static final Duration MAX_DURATION = Duration.ofDays(30);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "te", "trailer");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  private static final ObjectMapper YAML = new YAMLMapper(Json.yamlFactory());
  private static final ObjectMapper JSON = new ObjectMapper(Json.factory());

  /** Parses YAML text (JSON is valid YAML) into a plan. */
  public Parsed parseYaml(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
        throw ApiError.validation("plan_yaml", Json.describe(e));
      }
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
      throw ApiError.validation("plan_yaml", "is not valid YAML" + where + ": "
          + (message.toLowerCase().contains("nesting depth") ? "it is nested too deeply" : message));
    }
    return parse(root);
  }

  /** A plan together with the normalized tree it came from (kept to re-run it later). */
  public record Parsed(Plan plan, JsonNode source) {}

  public Parsed parse(JsonNode root) {
    if (root == null || !root.isObject()) throw ApiError.validation("plan", "must be a mapping with name and steps");
    Map<String, String> problems = new LinkedHashMap<>();
    Plan plan = readPlan(new FieldReader(root, "", problems), problems);
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return new Parsed(plan, root.deepCopy());
  }

  /** Re-reads a stored plan (which passed validation when it was submitted). */
  public Plan reload(String json) {
    try {
      return parse(JSON.readTree(json)).plan();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored plan is not valid JSON", e);
    }
  }

  public static String toJson(JsonNode source) {
    return source.toString();
  }

  /** The same plan with another priority: for seed views that pass it beside the plan. */
  public static JsonNode withPriority(JsonNode source, int priority) {
    ObjectNode copy = source.deepCopy();
    copy.put("priority", priority);
    return copy;
  }

  private Plan readPlan(FieldReader fields, Map<String, String> problems) {
    String name = fields.string("name", true, MAX_NAME);
    ExecutionKind kind = ExecutionKind.COMMAND;
    String kindText = fields.string("kind", false, 20);
    if (kindText != null) {
      kind = ExecutionKind.fromWireName(kindText).orElse(null);
      if (kind == null) fields.problem("kind", "must be one of command, test, agent, task, chat");
    }
    int priority = fields.integer("priority", 1, 10, Plan.DEFAULT_PRIORITY);
    Duration timeout = fields.duration("timeout", Duration.ofSeconds(1), MAX_DURATION);
    EnvironmentChoice environment = readEnvironment(fields, problems);
    Map<String, Plan.EnvValue> env = readEnv(fields, "env", problems);
    Duration approvalTimeout = fields.duration("approval_timeout", Duration.ofSeconds(1), MAX_DURATION);
    Plan.OnApprovalTimeout onTimeout = Plan.OnApprovalTimeout.REJECT;
    String onTimeoutText = fields.string("on_approval_timeout", false, 20);
    if (onTimeoutText != null) {
      switch (onTimeoutText) {
        case "reject" -> onTimeout = Plan.OnApprovalTimeout.REJECT;
        case "fail" -> onTimeout = Plan.OnApprovalTimeout.FAIL;
        default -> fields.problem("on_approval_timeout", "must be reject or fail");
      }
    }
    List<StepSpec> steps = readSteps(fields, problems);
    if (kind != ExecutionKind.TASK && steps.stream().anyMatch(s -> s.type() == StepType.TASK)) {
      fields.problem("steps", "task steps are the phases of a coding task's run: use POST /api/v1/tasks/{id}/execute");
    }
    fields.finish();
    if (kind == ExecutionKind.TASK && !environment.isAny()) {
      fields.problem("environment", "a coding task runs in its worktree on this node");
    }
    return new Plan(name, kind == null ? ExecutionKind.COMMAND : kind, priority, timeout, environment, env,
        approvalTimeout, onTimeout, steps);
  }

  /** {@code environment: {name: vm}} or {@code {labels: [linux, vm]}}, not both. */
  private EnvironmentChoice readEnvironment(FieldReader fields, Map<String, String> problems) {
    JsonNode environment = fields.object("environment");
    if (environment == null) return EnvironmentChoice.ANY;
    var reader = new FieldReader(environment, fields.path("environment"), problems);
    String name = reader.string("name", false, 64);
    if (name != null && !LABEL.matcher(name).matches()) reader.problem("name", "'" + name + "' is not an environment name");
    List<String> labels = reader.strings("labels", 20, 64);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) reader.problem("labels", "'" + label + "' is not a valid label");
    }
    if (name != null && !labels.isEmpty()) reader.problem("labels", "give a name or labels, not both");
    reader.finish();
    return new EnvironmentChoice(name, labels);
  }

  private Map<String, Plan.EnvValue> readEnv(FieldReader fields, String field, Map<String, String> problems) {
    JsonNode env = fields.object(field);
    Map<String, Plan.EnvValue> values = new LinkedHashMap<>();
    if (env == null) return values;
    if (env.size() > MAX_ENV) fields.problem(field, "must have at most " + MAX_ENV + " variables");
    env.fields().forEachRemaining(entry -> {
      String path = fields.path(field) + "." + entry.getKey();
      if (!ENV_NAME.matcher(entry.getKey()).matches()) {
        problems.putIfAbsent(path, "is not a valid variable name");
        return;
      }
      JsonNode value = entry.getValue();
      if (value.isTextual() || value.isNumber() || value.isBoolean()) {
        values.put(entry.getKey(), new Plan.EnvValue(value.asText(), false));
      } else if (value.isObject()) {
        var reader = new FieldReader(value, path, problems);
        String text = reader.string("value", true, 32_768);
        boolean secret = reader.bool("secret", false);
        reader.finish();
        if (text != null) values.put(entry.getKey(), new Plan.EnvValue(text, secret));
      } else {
        problems.putIfAbsent(path, "must be a string, or {value, secret}");
      }
    });
    return values;
  }

  private List<StepSpec> readSteps(FieldReader fields, Map<String, String> problems) {
    JsonNode steps = fields.array("steps");
    List<StepSpec> specs = new ArrayList<>();
    if (steps == null) {
      if (!fields.has("steps")) fields.problem("steps", "is required: a list of at least one step");
      return specs;
    }
    if (steps.isEmpty()) fields.problem("steps", "must have at least one step");
    if (steps.size() > MAX_STEPS) {
      fields.problem("steps", "must have at most " + MAX_STEPS + " steps");
      return specs;
    }
    for (int i = 0; i < steps.size(); i++) {
      String path = fields.path("steps") + "[" + i + "]";
      if (!steps.get(i).isObject()) {
        problems.putIfAbsent(path, "must be a mapping with at least a name");
        continue;
      }
      StepSpec spec = readStep(new FieldReader(steps.get(i), path, problems), problems);
      if (spec != null) specs.add(spec);
    }
    return specs;
  }

  private StepSpec readStep(FieldReader step, Map<String, String> problems) {
    String name = step.string("name", true, MAX_NAME);
    StepType type = StepType.COMMAND;
    String typeText = step.string("type", false, 20);
    if (typeText != null) {
      type = StepType.fromWireName(typeText).orElse(null);
      if (type == null) step.problem("type", "must be one of command, test, approval, http, noop, agent");
    }
    String run = step.string("run", false, MAX_RUN_LENGTH);
    List<String> argv = step.strings("argv", 256, 8192);
    String unrunnable = step.string("unrunnable", false, 4000);
    boolean requiresApproval = step.bool("requires_approval", false);
    Duration timeout = step.duration("timeout", Duration.ofMillis(100), MAX_DURATION);
    int retries = step.integer("retries", 0, 20, 0);
    Duration retryDelay = step.duration("retry_delay", Duration.ZERO, Duration.ofHours(1));
    boolean continueOnError = step.bool("continue_on_error", false);
    boolean idempotent = step.bool("idempotent", false);
    Map<String, Plan.EnvValue> env = readEnv(step, "env", problems);
    StepSpec.HttpSpec http = readHttp(step, problems);
    StepSpec.AgentSpec agent = readAgent(step, type);
    EnvironmentChoice environment = readEnvironment(step, problems);
    step.finish();
    if (type == null) return null;
    checkShape(step, type, run, argv, http);
    if (unrunnable != null && (type != StepType.TEST || run != null || step.has("argv"))) {
      step.problem("unrunnable", "only a test step without run or argv may say why it cannot run");
    }
    if (type == StepType.AGENT && retries > 0) {
      step.problem("retries", "an agent run is resumed from its checkpoint, not retried; it ends with agent_error");
    }
    if (type == StepType.AGENT && requiresApproval) {
      step.problem("requires_approval", "an agent step asks for approval per tool call, as its agent's policy says");
    }
    if (!environment.isAny() && type != StepType.COMMAND && type != StepType.TEST && type != StepType.AGENT) {
      step.problem("environment", "only command, test and agent steps run on an environment");
    }
    return new StepSpec(name, type, run, argv, requiresApproval, timeout, retries,
        retryDelay == null ? Duration.ofSeconds(1) : retryDelay, continueOnError, idempotent, env, http, agent,
        environment, unrunnable);
  }

  private static void checkShape(FieldReader step, StepType type, String run, List<String> argv, StepSpec.HttpSpec http) {
    boolean hasRun = run != null;
    boolean hasArgv = step.has("argv");
    switch (type) {
      case COMMAND, TEST -> {
        boolean explained = type == StepType.TEST && step.has("unrunnable") && !hasRun && !hasArgv;
        if (hasRun == hasArgv && !explained) {
          step.problem("run", "give exactly one of run (shell text) or argv (a list)"
              + (type == StepType.TEST ? ", or unrunnable (why it cannot run)" : ""));
        }
        if (hasArgv && argv.isEmpty()) step.problem("argv", "must name a program");
        if (hasRun && run.isBlank()) step.problem("run", "must not be empty");
      }
      case HTTP -> {
        if (http == null && !step.has("http")) step.problem("http", "is required for an http step: {url, method?}");
      }
      case AGENT -> {
        if (hasRun || hasArgv) step.problem(hasRun ? "run" : "argv", "an agent step runs its agent, not a command");
      }
      case APPROVAL, NOOP, TASK -> {
        if (hasRun || hasArgv) step.problem(hasRun ? "run" : "argv", "a " + type.wireName() + " step runs no command");
      }
    }
    if (type != StepType.HTTP && http != null) step.problem("http", "only http steps take an http request");
  }

  /** An agent step's {@code agent} and {@code prompt}, or its direct {@code tool: {name, arguments}}. */
  private static StepSpec.AgentSpec readAgent(FieldReader step, StepType type) {
    String agent = step.string("agent", false, 64);
    String prompt = step.string("prompt", false, MAX_RUN_LENGTH);
    JsonNode tool = step.object("tool");
    if (type != StepType.AGENT) {
      for (String field : List.of("agent", "prompt", "tool")) {
        if (step.has(field)) step.problem(field, "only agent steps take " + field);
      }
      return null;
    }
    if (tool != null) {
      if (agent != null || prompt != null) step.problem("tool", "give either agent and prompt, or a direct tool call");
      JsonNode name = tool.get("name");
      JsonNode arguments = tool.get("arguments");
      if (name == null || !name.isTextual() || name.asText().isBlank()) step.problem("tool", "needs a name");
      if (arguments != null && !arguments.isObject()) step.problem("tool", "arguments must be a mapping");
      tool.fieldNames().forEachRemaining(f -> {
        if (!f.equals("name") && !f.equals("arguments")) step.problem("tool", "unknown field '" + f + "'; use name and arguments");
      });
      @SuppressWarnings("unchecked")
      Map<String, Object> args = arguments == null ? Map.of()
          : Json.mapper().convertValue(arguments, Map.class);
      return new StepSpec.AgentSpec(null, null, name == null ? null : name.asText(), args);
    }
    if (prompt == null || prompt.isBlank()) {
      if (!step.has("tool")) step.problem("prompt", "is required for an agent step (or give a direct tool call)");
    }
    return new StepSpec.AgentSpec(agent == null ? "default" : agent, prompt, null, Map.of());
  }

  private static StepSpec.HttpSpec readHttp(FieldReader step, Map<String, String> problems) {
    JsonNode node = step.object("http");
    if (node == null) return null;
    var http = new FieldReader(node, step.path("http"), problems);
    String url = http.string("url", true, 4096);
    String method = http.string("method", false, 10);
    method = method == null ? "GET" : method.toUpperCase();
    if (!METHODS.contains(method)) http.problem("method", "must be one of " + String.join(", ", METHODS));
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode headerNode = http.object("headers");
    if (headerNode != null) {
      headerNode.fields().forEachRemaining(e -> {
        String where = http.path("headers") + "." + e.getKey();
        if (!HEADER_NAME.matcher(e.getKey()).matches()) problems.putIfAbsent(where, "is not a valid header name");
        else if (RESTRICTED_HEADERS.contains(e.getKey().toLowerCase())) problems.putIfAbsent(where, "is set by Stepwise itself");
        else if (!e.getValue().isTextual() || e.getValue().asText().contains("\n") || e.getValue().asText().contains("\r")) {
          problems.putIfAbsent(where, "must be a single-line string");
        } else headers.put(e.getKey(), e.getValue().asText());
      });
    }
    String body = http.string("body", false, MAX_RUN_LENGTH);
    List<Integer> expect = new ArrayList<>();
    JsonNode expectNode = http.array("expect_status");
    if (expectNode != null) {
      for (JsonNode code : expectNode) {
        if (code.isIntegralNumber() && code.asInt() >= 100 && code.asInt() <= 599) expect.add(code.asInt());
        else http.problem("expect_status", "must be a list of HTTP status codes");
      }
    }
    http.finish();
    if (url != null) {
      try {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          http.problem("url", "must be an absolute http:// or https:// URL");
        }
      } catch (IllegalArgumentException e) {
        http.problem("url", "is not a valid URL");
      }
    }
    return new StepSpec.HttpSpec(method, url, headers, body, expect);
  }
}
