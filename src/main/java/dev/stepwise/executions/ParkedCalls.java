package dev.stepwise.executions;

import dev.stepwise.events.EventLog;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Steps that wait on one call they want to make (an agent's tool call) rather than on a gate: which
 * call a waiting step waits on, shown with its approval, and where a decision goes — onto that
 * exact call, in the deciding transaction, so it can never count for another call.
 * Implementations are thread-safe.
 */
public interface ParkedCalls {
  /** The call a waiting step waits on. */
  record WaitingCall(String callKey, String tool, Map<String, Object> arguments) {}

  /** The call the step waits on, if it waits on one. */
  Optional<WaitingCall> waiting(Handle h, long executionId, int stepNumber);

  /**
   * Records the decision on the call the step waits on.
   *
   * @param expectedCall the {@code call_key} the decision was made for, or {@code null} for whichever waits
   * @return false when the step waits on no call (an ordinary gate)
   * @throws IllegalTransition when the step waits on another call than {@code expectedCall}
   */
  boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by, String comment,
      String expectedCall);

  /** Each kind of parked call in turn: the first that knows a step's call answers for it. */
  static ParkedCalls all(java.util.List<ParkedCalls> kinds) {
    var each = java.util.List.copyOf(kinds);
    return new ParkedCalls() {
      @Override
      public Optional<WaitingCall> waiting(Handle h, long executionId, int stepNumber) {
        for (ParkedCalls kind : each) {
          Optional<WaitingCall> call = kind.waiting(h, executionId, stepNumber);
          if (call.isPresent()) return call;
        }
        return Optional.empty();
      }

      @Override
      public boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by,
          String comment, String expectedCall) {
        for (ParkedCalls kind : each) {
          if (kind.decide(tx, executionId, stepNumber, approve, by, comment, expectedCall)) return true;
        }
        return false;
      }
    };
  }

  ParkedCalls NONE = new ParkedCalls() {
    @Override
    public Optional<WaitingCall> waiting(Handle h, long executionId, int stepNumber) {
      return Optional.empty();
    }

    @Override
    public boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by,
        String comment, String expectedCall) {
      return false;
    }
  };
}
