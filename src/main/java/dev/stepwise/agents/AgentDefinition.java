package dev.stepwise.agents;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An agent (API.md §9): a model, a system prompt, the tools it may call and when a call waits for
 * approval, and the limits of one run.
 *
 * @param source {@code built-in} or the file it was read from
 */
public record AgentDefinition(String name, String description, ModelSpec model, String systemPrompt, List<String> tools,
    Map<String, ApprovalMode> approvalPolicy, Limits limits, String source) {

  public AgentDefinition {
    tools = List.copyOf(tools);
    approvalPolicy = Map.copyOf(approvalPolicy);
  }

  /**
   * The model behind the agent.
   *
   * @param provider {@code openai} (any OpenAI-compatible {@code base_url}), {@code ollama}, {@code anthropic}
   *     or {@code scripted}
   * @param apiKeyEnv the environment variable holding the key (never the key itself)
   * @param script for {@code scripted}: the turns to replay
   */
  public record ModelSpec(String provider, String baseUrl, String name, String apiKeyEnv,
      @JsonIgnore List<ScriptedTurn> script) {
    public ModelSpec {
      script = script == null ? List.of() : List.copyOf(script);
    }
  }

  /** One scripted model turn: optional thinking, then either a tool call or the final reply. */
  public record ScriptedTurn(String thinking, String tool, JsonNode arguments, String reply) {}

  public record Limits(int maxTurns, int maxToolCalls, Duration timeout) {
    public static final Limits DEFAULT = new Limits(20, 50, Duration.ofMinutes(15));
  }
}
