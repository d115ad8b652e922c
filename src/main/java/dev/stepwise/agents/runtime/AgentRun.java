package dev.stepwise.agents.runtime;

/**
 * One agent step's run. Its id is the execution's: a run is an execution (API.md §4).
 *
 * @param threadId the conversation it answers in, or {@code null} for a plan's agent step
 * @param started whether {@code agent_started} went out
 * @param ended whether {@code agent_completed} or {@code agent_error} went out
 */
public record AgentRun(long executionId, int stepNumber, String agent, Long threadId, boolean started, boolean ended) {
  /** Where the run's events go: its thread's topic, or its execution's. */
  public String topic() {
    return threadId != null ? "thread:" + threadId : "execution:" + executionId;
  }
}
