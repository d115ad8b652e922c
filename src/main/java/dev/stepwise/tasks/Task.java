package dev.stepwise.tasks;

import java.time.Instant;

/**
 * A coding task as clients see it (API.md §6).
 *
 * @param branch the work branch of its runs, {@code stepwise/task-<id>}
 * @param sessionId the session of its latest run, or {@code null} before the first
 * @param approval which of the agent's edits and commands wait for a person
 * @param plan the plan its latest run's planning phase wrote, or {@code null}
 * @param error why it failed or was cancelled, or {@code null}
 */
public record Task(long id, String title, String description, TaskStatus status, String repositoryPath,
    String baseRef, String branch, String agent, Review review, ToolApproval approval, Long sessionId, String plan,
    int filesChanged, int additions, int deletions, String error, String createdBy, Instant createdAt,
    Instant updatedAt) {

  /** The work branch of task {@code id}. */
  public static String branchOf(long id) {
    return "stepwise/task-" + id;
  }
}
