package dev.stepwise.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.auth.Caller;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.plans.Durations;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import dev.stepwise.web.Validation;
import java.util.regex.Pattern;

/**
 * An agent working towards a goal with no conversation around it (the seed's
 * {@code POST /agent/execute {agent, goal}}): an execution of kind {@code agent} with one agent
 * step whose prompt is the goal, under the agent's own tools, approval policy and limits. Every
 * command it wants approved waits in {@code /approvals} like any step. Thread-safe.
 */
public final class AgentSessions {
  static final int MAX_GOAL_CHARS = 32_000;
  private static final Pattern AGENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Agents agents;
  private final ExecutionService executions;

  public AgentSessions(Agents agents, ExecutionService executions) {
    this.agents = agents;
    this.executions = executions;
  }

  /** Queues the session; 422 for an unknown agent or an empty goal, and then nothing is stored. */
  public Execution start(Caller caller, String agentName, String goal) {
    new Validation().require("agent", agentName)
        .matches("agent", agentName, AGENT, "must be an agent name: lower-case letters, digits, '.', '_' or '-'")
        .require("goal", goal).length("goal", goal, 1, MAX_GOAL_CHARS).orThrow();
    if (goal.isBlank()) throw ApiError.validation("goal", "must not be blank");
    AgentDefinition agent = agents.named(agentName).orElseThrow(() -> ApiError.validation("agent",
        "there is no agent named '" + agentName + "'; see GET /api/v1/agents"));
    ObjectNode plan = Json.mapper().createObjectNode().put("name", "agent " + agent.name() + ": " + title(goal))
        .put("kind", "agent");
    plan.putArray("steps").addObject().put("name", agent.name()).put("type", "agent").put("agent", agent.name())
        .put("prompt", goal).put("timeout", Durations.format(agent.limits().timeout()));
    return executions.submit(caller, executions.parser().parse(plan));
  }

  private static String title(String goal) {
    String line = goal.strip().lines().findFirst().orElse("").strip();
    return line.length() <= 120 ? line : line.substring(0, 119) + "…";
  }
}
