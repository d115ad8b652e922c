package dev.stepwise.plans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.secrets.SecretBox;
import java.util.function.UnaryOperator;

/**
 * Plans as the store keeps them: the submitted tree, with the value of every secret environment
 * variable (the plan's and each step's) encrypted by a {@link SecretBox} — {@code {"value": "…",
 * "secret": true}} is stored as {@code {"sealed": "v1:…", "secret": true}} — and opened again only
 * when the plan is loaded to run. Thread-safe.
 */
public final class StoredPlans {
  private static final ObjectMapper JSON = new ObjectMapper(dev.stepwise.web.Json.factory());

  /** The most plans without secrets kept loaded. */
  static final int KEPT = 256;

  private final PlanParser parser;
  private final SecretBox box;
  private final java.util.concurrent.ConcurrentHashMap<String, Plan> loaded = new java.util.concurrent.ConcurrentHashMap<>();

  public StoredPlans(PlanParser parser, SecretBox box) {
    this.parser = parser;
    this.box = box;
  }

  public PlanParser parser() {
    return parser;
  }

  /** The JSON to store for a submitted plan: its secret values sealed. */
  public String store(PlanParser.Parsed parsed) {
    return sealAll(parsed.source().deepCopy()).toString();
  }

  /**
   * A stored plan, ready to run. Plans without secrets are kept once loaded, by their stored text
   * (every execution of a bulk submission has the same): an execution's start does not parse its
   * plan again, and every execution of it shares the one {@link Plan}: nothing may change it or what
   * it holds. Plans with secrets are opened each time, so that their values stay in memory only
   * while a step uses them.
   *
   * @throws SecretBox.Unreadable when a secret was sealed with another key
   */
  public Plan load(String stored) {
    Plan kept = loaded.get(stored);
    if (kept != null) return kept;
    boolean[] secrets = new boolean[1];
    Plan plan = parser.parse(transformSecrets(tree(stored), secret -> {
      secrets[0] = true;
      if (secret.has("sealed")) secret.put("value", box.open(secret.remove("sealed").asText()));
      return secret;
    })).plan();
    if (!secrets[0]) {
      if (loaded.size() >= KEPT) loaded.clear(); // a node runs few distinct plans at a time; many, it loads anew
      loaded.put(stored, plan);
    }
    return plan;
  }

  /**
   * A stored plan's shape (its steps, environments, settings) without opening its secrets: each
   * secret's value is a placeholder. For reading what a plan is, never for running it.
   */
  public Plan loadShape(String stored) {
    return parser.parse(transformSecrets(tree(stored), secret -> {
      if (secret.has("sealed")) {
        secret.remove("sealed");
        secret.put("value", "(sealed)");
      }
      return secret;
    })).plan();
  }

  /** Whether a stored plan still holds a secret value in plain text (stored before secrets were sealed). */
  public boolean holdsPlainSecrets(String stored) {
    boolean[] plain = new boolean[1];
    transformSecrets(tree(stored), secret -> {
      plain[0] |= secret.has("value");
      return secret;
    });
    return plain[0];
  }

  /** A stored plan as its submitter wrote it, indented, with every secret value hidden. */
  public String shown(String stored) {
    JsonNode plan = transformSecrets(tree(stored), secret -> {
      secret.remove("sealed");
      secret.put("value", "(secret)");
      return secret;
    });
    return plan.toPrettyString();
  }

  /** A stored plan with every plain secret value sealed. */
  public String reseal(String stored) {
    return sealAll(tree(stored)).toString();
  }

  private JsonNode sealAll(JsonNode plan) {
    return transformSecrets(plan, secret -> {
      if (secret.has("value")) secret.put("sealed", box.seal(secret.remove("value").asText()));
      return secret;
    });
  }

  private static JsonNode tree(String stored) {
    try {
      return JSON.readTree(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored plan is not valid JSON", e);
    }
  }

  /** Applies {@code change} to each {@code {…, "secret": true}} entry of the plan's and its steps' env. */
  private static JsonNode transformSecrets(JsonNode plan, UnaryOperator<ObjectNode> change) {
    transformEnv(plan.get("env"), change);
    JsonNode steps = plan.get("steps");
    if (steps != null && steps.isArray()) steps.forEach(step -> transformEnv(step.get("env"), change));
    return plan;
  }

  private static void transformEnv(JsonNode env, UnaryOperator<ObjectNode> change) {
    if (env == null || !env.isObject()) return;
    env.fields().forEachRemaining(entry -> {
      if (entry.getValue() instanceof ObjectNode value && value.path("secret").asBoolean(false)) change.apply(value);
    });
  }
}
