package dev.stepwise.executions;

import dev.stepwise.events.NewEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of the execution lifecycle (API.md §8), all on topic {@code execution:<id>}, made ready
 * here and appended by the transaction that makes the change ({@code tx.append}). One place, so the
 * engine and the services agree on their shape.
 */
public final class ExecutionEvents {
  private ExecutionEvents() {}

  public static String topic(long executionId) {
    return "execution:" + executionId;
  }

  public static NewEvent queued(long id, dev.stepwise.plans.Plan plan, String createdBy) {
    return NewEvent.of("execution.queued", topic(id), data("execution_id", id, "name", plan.name(),
        "kind", plan.kind().wireName(), "priority", plan.priority(), "created_by", createdBy));
  }

  /** Back in the queue until a slot of {@code environment} is free; {@code reason} says so in words. */
  public static NewEvent waiting(long id, String name, String environment, String reason) {
    return NewEvent.of("execution.queued", topic(id), data("execution_id", id, "name", name, "waiting_for", environment,
        "reason", reason));
  }

  public static NewEvent started(long id, String name, String kind, String nodeId, String environment) {
    return NewEvent.of("execution.started", topic(id), data("execution_id", id, "name", name, "kind", kind,
        "node_id", nodeId, "environment", environment));
  }

  public static NewEvent completed(ExecutionRow row, ExecutionStatus status, String error, Instant now) {
    Long duration = row.startedAt() == null ? null : Duration.between(row.startedAt(), now).toMillis();
    return NewEvent.of("execution.completed", topic(row.id()), data("execution_id", row.id(), "name", row.name(),
        "kind", row.kind().wireName(), "status", status.wireName(), "error", error, "duration_ms", duration));
  }

  public static NewEvent stepStarted(long id, int step, String name, int attempt) {
    return NewEvent.of("step.started", topic(id), data("execution_id", id, "step_number", step, "step_name", name,
        "attempt", attempt));
  }

  public static NewEvent stepOutput(long id, int step, List<String> lines) {
    return NewEvent.of("step.output", topic(id), data("execution_id", id, "step_number", step, "lines", lines));
  }

  public static NewEvent stepCompleted(long id, StepRow step, StepStatus status, Integer exitCode,
      String error, boolean willRetry) {
    return NewEvent.of("step.completed", topic(id), data("execution_id", id, "step_number", step.stepNumber(),
        "step_name", step.name(), "status", status.wireName(), "exit_code", exitCode, "attempt", step.attempts(),
        "error", error, "will_retry", willRetry));
  }

  public static NewEvent approvalRequested(ExecutionRow row, StepRow step, Instant at, Instant expiresAt) {
    return NewEvent.of("approval.requested", topic(row.id()), approval(row, step, at, expiresAt));
  }

  /** A request to decide on one tool call an agent step wants to make: the tool and its exact arguments. */
  public static NewEvent approvalRequested(ExecutionRow row, StepRow step, Instant at, Instant expiresAt,
      String callKey, String tool, Map<String, Object> arguments) {
    Map<String, Object> data = approval(row, step, at, expiresAt);
    data.put("call_key", callKey);
    data.put("tool", tool);
    data.put("arguments", arguments);
    return NewEvent.of("approval.requested", topic(row.id()), data);
  }

  private static Map<String, Object> approval(ExecutionRow row, StepRow step, Instant at, Instant expiresAt) {
    return data("execution_id", row.id(), "step_number", step.stepNumber(), "step_name", step.name(),
        "command", step.command(), "requested_by", row.createdBy(), "requested_at", at.toString(),
        "expires_at", expiresAt == null ? null : expiresAt.toString());
  }

  public static NewEvent approvalResolved(long id, StepRow step, String decision, String decidedBy,
      String comment, Instant at) {
    return NewEvent.of("approval.resolved", topic(id), data("execution_id", id, "step_number", step.stepNumber(),
        "step_name", step.name(), "decision", decision, "approved", "approved".equals(decision),
        "decided_by", decidedBy, "comment", comment, "decided_at", at.toString()));
  }

  private static Map<String, Object> data(Object... keysAndValues) {
    var map = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }
}
