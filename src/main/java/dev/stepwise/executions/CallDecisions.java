package dev.stepwise.executions;

import dev.stepwise.events.EventLog;

/**
 * Where a decision goes when the waiting step is parked on one call it wants to make (an agent's
 * tool call) rather than on a gate: the decision is recorded on that exact call, in the deciding
 * transaction, so it can never count for another call. Implementations are thread-safe.
 */
public interface CallDecisions {
  /**
   * Records the decision on the call the step waits on.
   *
   * @param expectedCall the {@code call_key} the decision was made for, or {@code null} for whichever waits
   * @return false when the step waits on no call (an ordinary gate)
   * @throws IllegalTransition when the step waits on another call than {@code expectedCall}
   */
  boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by, String comment,
      String expectedCall);

  CallDecisions NONE = (tx, executionId, stepNumber, approve, by, comment, expectedCall) -> false;
}
