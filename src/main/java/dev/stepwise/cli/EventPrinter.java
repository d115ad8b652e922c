package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Prints an execution's events for people: step starts and ends, output lines, approvals and the
 * final status. Remembers the final status for the exit code.
 */
final class EventPrinter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final long executionId;
  private String finalStatus;

  EventPrinter(PrintStream out, long executionId) {
    this.out = out;
    this.executionId = executionId;
  }

  /** Prints one event; true once the execution has finished. */
  boolean print(JsonNode event) {
    JsonNode data = event.path("data");
    String at = TIME.format(Instant.parse(event.path("timestamp").asText(Instant.now().toString())));
    String step = "step " + data.path("step_number").asText() + " " + data.path("step_name").asText();
    switch (event.path("type").asText()) {
      case "execution.queued" -> out.println(at + "  execution " + executionId + " queued: " + data.path("name").asText());
      case "execution.started" -> out.println(at + "  execution started on " + data.path("node_id").asText());
      case "step.started" -> out.println(at + "  " + step + ": started (attempt " + data.path("attempt").asInt() + ")");
      case "step.output" -> data.path("lines").forEach(line -> out.println("          | " + line.asText()));
      case "step.completed" -> out.println(at + "  " + step + ": " + data.path("status").asText()
          + (data.path("exit_code").isNull() ? "" : " (exit " + data.path("exit_code").asText() + ")")
          + (data.path("will_retry").asBoolean() ? ", will retry" : "")
          + (data.path("error").isNull() || data.path("error").asText().isEmpty() ? "" : ": " + data.path("error").asText()));
      case "approval.requested" -> out.println(at + "  " + step + ": waiting for approval; decide with `stepwise approve "
          + executionId + " " + data.path("step_number").asText() + "` (or --reject)");
      case "approval.resolved" -> out.println(at + "  " + step + ": " + data.path("decision").asText() + " by "
          + data.path("decided_by").asText());
      case "execution.completed" -> {
        finalStatus = data.path("status").asText();
        out.println(at + "  execution " + executionId + " " + finalStatus
            + (data.path("duration_ms").isNull() ? "" : " in " + data.path("duration_ms").asLong() + " ms")
            + (data.path("error").isNull() ? "" : ": " + data.path("error").asText()));
        return true;
      }
      default -> { }
    }
    return false;
  }

  /** 0 when the execution completed, 1 otherwise. */
  int exitCode() {
    return "completed".equals(finalStatus) ? 0 : 1;
  }
}
