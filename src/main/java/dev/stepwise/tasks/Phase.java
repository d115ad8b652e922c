package dev.stepwise.tasks;

import java.util.Locale;
import java.util.Optional;

/**
 * The phases of a task's run, each a step of its execution (named by {@link #stepName()}): the
 * agent's three, and the two reviews by a person, which are approval steps.
 */
public enum Phase {
  /** The agent reads the repository and writes a plan; it changes nothing. */
  PLANNING(TaskStatus.PLANNING, true),
  /** A person approves the plan (or rejects it, which ends the run). */
  PLANNING_REVIEW(TaskStatus.PLANNING_REVIEW, false),
  /** The agent changes the code in the task's worktree. */
  IN_PROGRESS(TaskStatus.IN_PROGRESS, true),
  /** A reviewer agent reads the diff and runs the repository's checks; it changes nothing. */
  AI_REVIEW(TaskStatus.AI_REVIEW, true),
  /** A person accepts the result; the task stays in {@code ai_review} until then. */
  MERGE_REVIEW(TaskStatus.AI_REVIEW, false);

  private final TaskStatus status;
  private final boolean agentWork;

  Phase(TaskStatus status, boolean agentWork) {
    this.status = status;
    this.agentWork = agentWork;
  }

  public String stepName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The task's status while the phase runs. */
  public TaskStatus status() {
    return status;
  }

  /** Whether the agent works in it (else a person decides). */
  public boolean agentWork() {
    return agentWork;
  }

  /** Whether the agent may change files in it. */
  public boolean writes() {
    return this == IN_PROGRESS;
  }

  /** What a person decides at a review, as its approval card says; empty for the agent's phases. */
  public Optional<String> decision() {
    return switch (this) {
      case PLANNING_REVIEW -> Optional.of("A review of the task's plan: approving lets the agent start the work; "
          + "rejecting cancels the task.");
      case MERGE_REVIEW -> Optional.of("A review of the task's changes: approving marks the task done; "
          + "rejecting cancels it and keeps the worktree.");
      default -> Optional.empty();
    };
  }

  public static Optional<Phase> ofStep(Object stepName) {
    for (Phase phase : values()) if (phase.stepName().equals(stepName)) return Optional.of(phase);
    return Optional.empty();
  }
}
