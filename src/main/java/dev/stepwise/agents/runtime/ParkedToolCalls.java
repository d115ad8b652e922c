package dev.stepwise.agents.runtime;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.IllegalTransition;
import dev.stepwise.executions.ParkedCalls;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * An agent step waits on its run's first unsettled tool call, the one it reported in
 * {@code approval.requested}. A decision is recorded on that exact call (its {@code call_key},
 * tool and arguments) in the deciding transaction; a refusal settles it at once, with
 * {@code tool_completed} saying so, and the run then tells the model. Thread-safe.
 */
public final class ParkedToolCalls implements ParkedCalls {
  @Override
  public Optional<WaitingCall> waiting(Handle h, long executionId, int stepNumber) {
    return AgentRuns.waiting(h, executionId, stepNumber).map(c -> new WaitingCall(c.key(), c.tool(), c.arguments()));
  }

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
