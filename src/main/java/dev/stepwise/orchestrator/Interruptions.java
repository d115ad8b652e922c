package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.StepSpec;

/**
 * What becomes of a step whose attempt was cut short by something other than its own outcome (its
 * node stopped renewing the lease, the database went away while it ran): it runs again when it is
 * idempotent, an agent step or has retries left (DESIGN.md principle 6); otherwise it fails,
 * and the reason says what happened. One rule for the reaper and for a slice that lived through it.
 * Runs inside the caller's transaction. Thread-safe (stateless).
 */
final class Interruptions {
  private Interruptions() {}

  /**
   * Requeues or fails the interrupted step.
   *
   * @param what what happened, in words: "node a1 stopped renewing its lease while step 2 ('build') was running"
   * @return the error the execution ends with, or {@code null} when the step runs again
   */
  static String settle(EventLog.Tx tx, long executionId, StepRow step, StepSpec spec, String what) {
    if (SliceDecider.rerunAfterInterruption(spec, step)) {
      String error = "interrupted: " + what + "; running it again";
      Steps.requeue(tx.handle(), executionId, step.stepNumber(), null, null, error);
      tx.append(ExecutionEvents.stepCompleted(executionId, step, StepStatus.FAILED, null, error, true));
      return null;
    }
    String error = "interrupted: " + what + ", and it is not idempotent and has no retries left";
    Steps.finish(tx.handle(), executionId, step.stepNumber(), StepStatus.RUNNING, StepStatus.FAILED, null, null, error,
        tx.now());
    Steps.closeRemaining(tx.handle(), executionId, StepStatus.CANCELLED, tx.now());
    tx.append(ExecutionEvents.stepCompleted(executionId, step, StepStatus.FAILED, null, error, false));
    return error;
  }
}
