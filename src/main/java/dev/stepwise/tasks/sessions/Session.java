package dev.stepwise.tasks.sessions;

import java.time.Instant;

/**
 * One run of a coding task (API.md §6): the execution that runs its phases, and the agent's own
 * session when the agent has one (OpenCode's {@code ses_…}).
 *
 * @param status {@code running}, {@code completed}, {@code failed} or {@code cancelled}
 * @param error why it failed or was cancelled, or {@code null}
 */
public record Session(long sessionId, long taskId, long executionId, String agent, String agentSessionId, String status,
    String error, Instant startedAt, Instant finishedAt) {

  public static final String RUNNING = "running";

  public String topic() {
    return topic(sessionId);
  }

  public static String topic(long sessionId) {
    return "session:" + sessionId;
  }
}
