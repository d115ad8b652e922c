package dev.stepwise.agents;

import dev.stepwise.auth.Caller;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;

/**
 * An agent working towards a goal with no conversation around it (the seed's
 * {@code POST /agent/execute {agent, goal}}): an execution of kind {@code agent} with one agent
 * step whose prompt is the goal, under the agent's own tools, approval policy and limits, its
 * {@code shell} on this node or on a named environment. Every command it wants approved waits in
 * {@code /approvals} like any step, naming the machine. Thread-safe.
 */
public final class AgentSessions {
  static final int MAX_GOAL_CHARS = 32_000;

  private final Agents agents;
  private final ExecutionService executions;

  public AgentSessions(Agents agents, ExecutionService executions) {
    this.agents = agents;
    this.executions = executions;
  }

  /**
   * Queues the session; 422 for an unknown agent, an empty goal or an environment nobody has, and
   * then nothing is stored.
   *
   * @param environment where the agent's {@code shell} runs its commands, or {@code null} for this node
   */
  public Execution start(Caller caller, String agentName, String goal, String environment) {
    new Validation().require("agent", agentName)
        .matches("agent", agentName, Agents.NAME, Agents.NAME_RULE)
        .require("goal", goal).length("goal", goal, 1, MAX_GOAL_CHARS).orThrow();
    if (goal.isBlank()) throw ApiError.validation("goal", "must not be blank");
    AgentDefinition agent = agents.require(agentName);
    var plan = AgentPlans.oneStep("agent " + agent.name() + ": " + AgentPlans.headline(goal, 120), "agent", agent, goal);
    if (environment != null) plan.putObject("environment").put("name", environment);
    return executions.submit(caller, executions.parser().parse(plan));
  }
}
