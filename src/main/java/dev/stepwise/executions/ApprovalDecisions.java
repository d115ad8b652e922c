package dev.stepwise.executions;

import dev.stepwise.events.EventLog;
import dev.stepwise.events.Signals;
import java.time.Instant;

/**
 * The outcomes of an approval, shared by people's decisions and the expiry of a decision's time.
 * Each runs inside the caller's transaction and is a compare-and-set on the waiting step, so of two
 * concurrent decisions exactly one takes effect and the other gets a 409.
 */
public final class ApprovalDecisions {
  private ApprovalDecisions() {}

  /** The step runs: the execution goes back to the dispatcher at once. */
  public static void approve(EventLog.Tx tx, ExecutionRow row, StepRow step, String by, String comment) {
    Instant now = tx.now();
    if (!Steps.decide(tx.handle(), row.id(), step.stepNumber(), true, null, by, comment, now)
        || !Executions.transition(tx.handle(), row.id(), ExecutionStatus.WAITING_APPROVAL, ExecutionStatus.RUNNING, null, now)) {
      throw alreadyDecided(row.id(), step.stepNumber());
    }
    tx.append(ExecutionEvents.approvalResolved(row.id(), step, "approved", by, comment, now));
    tx.wake(Signals.Channel.DISPATCH, "");
  }

  /**
   * A decision on one call of a step parked on it: either way the step goes back to pending (with
   * the decision recorded) and the execution to the dispatcher at once; the step reads the
   * decision from its call and goes on.
   */
  public static void resumeAfterCall(EventLog.Tx tx, ExecutionRow row, StepRow step, boolean approve, String by,
      String comment) {
    Instant now = tx.now();
    if (!Steps.resumeAfterCall(tx.handle(), row.id(), step.stepNumber(), approve, by, comment)
        || !Executions.transition(tx.handle(), row.id(), ExecutionStatus.WAITING_APPROVAL, ExecutionStatus.RUNNING, null, now)) {
      throw alreadyDecided(row.id(), step.stepNumber());
    }
    tx.append(ExecutionEvents.approvalResolved(row.id(), step, approve ? "approved" : "rejected", by, comment, now));
    tx.wake(Signals.Channel.DISPATCH, "");
  }

  /** The step is refused: the execution ends {@code rejected} and later steps are skipped. */
  public static void reject(EventLog.Tx tx, ExecutionRow row, StepRow step, String by, String comment) {
    end(tx, row, step, StepStatus.REJECTED, ExecutionStatus.REJECTED, "rejected", by, comment,
        "step " + step.stepNumber() + " ('" + step.name() + "') was rejected by " + by
            + (comment == null || comment.isBlank() ? "" : ": " + comment));
  }

  /** Nobody decided in time and the plan says to fail. */
  public static void failForTimeout(EventLog.Tx tx, ExecutionRow row, StepRow step, String reason) {
    end(tx, row, step, StepStatus.FAILED, ExecutionStatus.FAILED, "timed_out", "stepwise", null, reason);
  }

  private static void end(EventLog.Tx tx, ExecutionRow row, StepRow step, StepStatus stepTo, ExecutionStatus to,
      String decision, String by, String comment, String error) {
    Instant now = tx.now();
    if (!Steps.decide(tx.handle(), row.id(), step.stepNumber(), false, stepTo, by, comment, now)
        || !Executions.transition(tx.handle(), row.id(), ExecutionStatus.WAITING_APPROVAL, to, error, now)) {
      throw alreadyDecided(row.id(), step.stepNumber());
    }
    Steps.closeRemaining(tx.handle(), row.id(), StepStatus.SKIPPED, now);
    tx.append(ExecutionEvents.approvalResolved(row.id(), step, decision, by, comment, now));
    tx.append(ExecutionEvents.completed(row, to, error, now));
  }

  private static IllegalTransition alreadyDecided(long id, int step) {
    return new IllegalTransition("step " + step + " of execution " + id + " is no longer waiting for a decision");
  }
}
