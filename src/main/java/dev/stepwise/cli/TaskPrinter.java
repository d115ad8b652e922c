package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * Prints a task's run for people, from the events of its topic: status changes, and the session's
 * activity (what the agent said, its tool calls and their results, approvals). Only the run that
 * {@code sessionId} names is shown; the run's end is the exit code.
 */
final class TaskPrinter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final Set<String> ENDS = Set.of("done", "failed", "cancelled");
  private static final int MAX_TEXT = 2000;

  private final PrintStream out;
  private final long sessionId;
  private final long executionId;
  private final StringBuilder thinking = new StringBuilder();
  private String thinkingAt;
  private boolean started;
  private String finalStatus;

  TaskPrinter(PrintStream out, long sessionId, long executionId) {
    this.out = out;
    this.sessionId = sessionId;
    this.executionId = executionId;
  }

  /** Prints one event; true once the run has ended. */
  boolean print(JsonNode event) {
    JsonNode data = event.path("data");
    String at = TIME.format(Instant.parse(event.path("timestamp").asText(Instant.now().toString())));
    String type = event.path("type").asText();
    if (type.startsWith("session.") && data.path("session_id").asLong() != sessionId) return false;
    switch (type) {
      case "session.started" -> {
        started = true;
        out.println(at + "  session " + sessionId + " started: execution " + executionId + " with the "
            + data.path("agent").asText() + " agent");
      }
      case "task.status_changed" -> {
        if (!started) return false;
        String to = data.path("to").asText();
        out.println(at + "  status " + data.path("from").asText() + " → " + to
            + (data.path("reason").isMissingNode() ? "" : ": " + data.path("reason").asText()));
        if (ENDS.contains(to)) {
          finalStatus = to;
          return true;
        }
      }
      case "session.activity" -> activity(at, data);
      case "session.completed" -> {
        if (finalStatus == null) finalStatus = data.path("status").asText().equals("completed") ? "done" : "failed";
      }
      default -> {
        // the execution's own events are `stepwise tail`'s
      }
    }
    return false;
  }

  /**
   * One activity entry. What the agent says while it streams arrives in pieces: they are kept and
   * printed as one line once something else happens, unless that is the message they spelled out.
   */
  private void activity(String at, JsonNode data) {
    String kind = data.path("kind").asText();
    if (kind.equals("thinking")) {
      thinking.append(data.path("text").asText(""));
      thinkingAt = thinkingAt == null ? at : thinkingAt;
      return;
    }
    String said = thinking.toString().strip();
    if (!said.isEmpty() && !(kind.equals("message") && said.equals(data.path("text").asText("").strip()))) {
      print(thinkingAt, "thinking", said);
    }
    thinking.setLength(0);
    thinkingAt = null;
    String tool = data.path("tool").asText("");
    String text = cut(data.path("text").asText(""));
    switch (kind) {
      case "tool_call" -> out.println(at + "  → " + tool + ": " + text);
      case "tool_result" -> {
        out.println(at + "  ← " + tool + (data.path("data").path("exit_code").isNumber()
            ? " (exit " + data.path("data").path("exit_code").asInt() + ")" : "") + ":");
        text.lines().forEach(line -> out.println("          | " + line));
      }
      case "approval_requested" -> {
        out.println(at + "  waiting: " + text);
        out.println("          decide with `stepwise approve " + executionId + " "
            + data.path("data").path("step_number").asText() + "` (or --reject)");
      }
      default -> print(at, kind.replace('_', ' '), text);
    }
  }

  private void print(String at, String label, String text) {
    List<String> lines = cut(text).strip().lines().toList();
    out.println(at + "  " + label + ": " + (lines.isEmpty() ? "" : lines.getFirst()));
    lines.stream().skip(1).forEach(line -> out.println("          | " + line));
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  /** 0 when the task is done, 1 when it failed or was cancelled. */
  int exitCode() {
    return "done".equals(finalStatus) ? 0 : 1;
  }
}
