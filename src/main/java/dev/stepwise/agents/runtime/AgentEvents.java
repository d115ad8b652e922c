package dev.stepwise.agents.runtime;

import dev.stepwise.events.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent events of API.md §8, all carrying {@code run_id} and {@code thread_id}, on the run's
 * thread topic (or its execution's, for a plan's agent step). Written in the transaction of the
 * change they report. Output in events is capped; the whole is in the run's checkpoint.
 */
final class AgentEvents {
  /** How much of a tool's output an event carries. */
  static final int MAX_EVENT_OUTPUT = 16 * 1024;

  private AgentEvents() {}

  static void started(EventLog.Tx tx, AgentRun run, String model, String prompt) {
    tx.append("agent_started", run.topic(), data(run, "model", model, "prompt", prompt));
  }

  /** Model output: a streamed {@code delta}, or a whole turn's text when the provider does not stream. */
  static void thinking(EventLog.Tx tx, AgentRun run, int turn, String content, boolean delta) {
    tx.append("agent_thinking", run.topic(), data(run, "turn", turn, "content", content, "delta", delta));
  }

  /** @param machine where a {@code shell} call runs its command: a remote one is named in the event */
  static void toolExecuting(EventLog.Tx tx, AgentRun run, ToolCall call, dev.stepwise.runners.Machine machine) {
    var data = data(run, "turn", call.turn(), "call_id", call.callId(), "tool", call.tool(), "arguments",
        call.arguments());
    if (machine.remote() && call.tool().equals("shell")) {
      data.put("environment", machine.environment());
      data.put("host", machine.address());
    }
    tx.append("tool_executing", run.topic(), data);
  }

  static void toolCompleted(EventLog.Tx tx, AgentRun run, ToolCall call, ToolCall.Status status, String output,
      Integer exitCode) {
    String shown = output == null || output.length() <= MAX_EVENT_OUTPUT ? output : output.substring(0, MAX_EVENT_OUTPUT);
    tx.append("tool_completed", run.topic(), data(run, "turn", call.turn(), "call_id", call.callId(),
        "tool", call.tool(), "status", status.wireName(), "output", shown, "exit_code", exitCode,
        "truncated", shown != null && shown.length() < output.length()));
  }

  static void completed(EventLog.Tx tx, AgentRun run, String reply, int turns, int toolCalls) {
    tx.append("agent_completed", run.topic(), data(run, "reply", reply, "turns", turns, "tool_calls", toolCalls));
  }

  static void error(EventLog.Tx tx, AgentRun run, String code, String message) {
    tx.append("agent_error", run.topic(), data(run, "code", code, "error", message));
  }

  private static Map<String, Object> data(AgentRun run, Object... keysAndValues) {
    var map = new LinkedHashMap<String, Object>();
    map.put("run_id", run.executionId());
    map.put("thread_id", run.threadId());
    map.put("step_number", run.stepNumber());
    map.put("agent", run.agent());
    for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }
}
