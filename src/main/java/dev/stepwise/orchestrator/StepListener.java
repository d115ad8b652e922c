package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.plans.StepSpec;
import java.time.Instant;

/**
 * Learns of every step whose final outcome is recorded, inside the same transaction: what it writes
 * commits with the outcome or not at all, and its events are published after the commit. A feature
 * that keeps its own view of results (test cases' history, say) implements it.
 */
public interface StepListener {
  void finished(EventLog.Tx tx, FinishedStep step);

  /**
   * A step's final outcome.
   *
   * @param startedAt when its last attempt started, or {@code null} if unknown
   */
  record FinishedStep(long executionId, int stepNumber, StepSpec spec, StepStatus status, Integer exitCode,
      String error, Instant startedAt, Instant finishedAt) {}
}
