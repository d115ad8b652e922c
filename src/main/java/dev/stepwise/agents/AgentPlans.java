package dev.stepwise.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.plans.Durations;
import dev.stepwise.web.Json;

/**
 * The plan that sets one agent to work on one prompt: a single agent step, within the agent's own
 * time limit. A chat message and an agent session both run as one. Thread-safe (stateless).
 */
public final class AgentPlans {
  private AgentPlans() {}

  /**
   * @param name the execution's name
   * @param kind the execution's kind ({@code chat} or {@code agent})
   */
  public static ObjectNode oneStep(String name, String kind, AgentDefinition agent, String prompt) {
    ObjectNode plan = Json.mapper().createObjectNode().put("name", name).put("kind", kind);
    plan.putArray("steps").addObject().put("name", agent.name()).put("type", "agent").put("agent", agent.name())
        .put("prompt", prompt).put("timeout", Durations.format(agent.limits().timeout()));
    return plan;
  }

  /** The first line of {@code text}, cut to {@code max} characters: a title for what it asks. */
  public static String headline(String text, int max) {
    String line = text.strip().lines().findFirst().orElse("").strip();
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
