package dev.stepwise.tasks.run;

import dev.stepwise.events.EventLog;
import dev.stepwise.tasks.sessions.ActivityKind;
import dev.stepwise.tasks.sessions.SessionLog;
import java.util.Map;

/**
 * The native agent's events (API.md §8: {@code agent_thinking}, {@code tool_executing},
 * {@code tool_completed}, {@code agent_completed}, {@code agent_error}) of a task's execution,
 * written as its session's activity in the transaction that appends them. Thread-safe (stateless
 * but for the index).
 */
final class AgentActivity {
  private AgentActivity() {}

  static void register(EventLog log, SessionIndex index) {
    log.react("agent_thinking", (tx, topic, data) -> write(tx, index, data, ActivityKind.THINKING,
        text(data.get("content")), null, TaskLifecycle.details("turn", data.get("turn"), "delta", data.get("delta"))));
    log.react("tool_executing", (tx, topic, data) -> write(tx, index, data, ActivityKind.TOOL_CALL,
        ToolCalls.describe(text(data.get("tool")), data.get("arguments")), text(data.get("tool")),
        TaskLifecycle.details("call_id", data.get("call_id"), "arguments", data.get("arguments"))));
    log.react("tool_completed", (tx, topic, data) -> write(tx, index, data, ActivityKind.TOOL_RESULT,
        text(data.get("output")), text(data.get("tool")), TaskLifecycle.details("call_id", data.get("call_id"),
            "status", data.get("status"), "exit_code", data.get("exit_code"), "truncated", data.get("truncated"))));
    log.react("agent_completed", (tx, topic, data) -> write(tx, index, data, ActivityKind.MESSAGE,
        text(data.get("reply")), null, TaskLifecycle.details("turns", data.get("turns"),
            "tool_calls", data.get("tool_calls"))));
    log.react("agent_error", (tx, topic, data) -> write(tx, index, data, ActivityKind.ERROR, text(data.get("error")),
        null, TaskLifecycle.details("code", data.get("code"))));
  }

  private static void write(EventLog.Tx tx, SessionIndex index, Map<String, ?> data, ActivityKind kind, String text,
      String tool, Map<String, Object> details) {
    index.ofExecution(tx.handle(), data.get("run_id"))
        .ifPresent(session -> SessionLog.record(tx, session, kind, text, tool, details));
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
