package dev.stepwise.agents.runtime;

import dev.stepwise.events.EventLog;
import java.util.Map;

/**
 * Every agent run ends with exactly one {@code agent_completed} or {@code agent_error}, however its
 * execution ended: when an execution ends without success (cancelled while it waited for a
 * decision, rejected, timed out, failed by the engine), the runs it left open get their
 * {@code agent_error} in that same transaction. Register with {@link EventLog#react}.
 */
public final class RunEndings implements EventLog.Reaction {
  @Override
  public void react(EventLog.Tx tx, String topic, Map<String, ?> data) {
    if ("completed".equals(data.get("status")) || !(data.get("execution_id") instanceof Number id)) return;
    String status = String.valueOf(data.get("status"));
    String error = data.get("error") == null ? "the run's execution ended " + status : String.valueOf(data.get("error"));
    for (AgentRun run : AgentRuns.open(tx.handle(), id.longValue())) {
      if (AgentRuns.markEnded(tx.handle(), run)) AgentEvents.error(tx, run, status, error);
    }
  }
}
