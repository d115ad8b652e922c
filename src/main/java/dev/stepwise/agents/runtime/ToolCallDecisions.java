package dev.stepwise.agents.runtime;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.CallDecisions;
import dev.stepwise.executions.IllegalTransition;
import java.util.Optional;

/**
 * A decision on a step parked on a tool call goes to that exact call (its tool and arguments, as
 * shown in {@code approval.requested}), in the deciding transaction. A refusal settles the call at
 * once, with {@code tool_completed} saying so; the run then tells the model. Thread-safe.
 */
public final class ToolCallDecisions implements CallDecisions {
  @Override
  public boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by, String comment,
      String expectedCall) {
    Optional<ToolCall> waiting = AgentRuns.waiting(tx.handle(), executionId, stepNumber);
    if (waiting.isEmpty()) return false;
    ToolCall call = waiting.get();
    if (expectedCall != null && !expectedCall.equals(call.key())) {
      throw new IllegalTransition("the decision was for tool call " + expectedCall + ", but step " + stepNumber
          + " of execution " + executionId + " now waits on call " + call.key() + " (" + call.tool() + ")");
    }
    ToolCall decided = AgentRuns.decide(tx.handle(), executionId, stepNumber, call, approve, by, comment, tx.now());
    if (decided == null) {
      throw new IllegalTransition("the tool call of step " + stepNumber + " of execution " + executionId
          + " is no longer waiting for a decision");
    }
    if (!approve) {
      AgentRun run = AgentRuns.find(tx.handle(), executionId, stepNumber).orElseThrow();
      AgentEvents.toolCompleted(tx, run, decided, ToolCall.Status.REJECTED, decided.output(), null);
    }
    return true;
  }
}
