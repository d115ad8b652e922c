package dev.stepwise.tasks.run;

import dev.stepwise.events.EventLog;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.TaskEvents;
import dev.stepwise.tasks.TaskStatus;
import dev.stepwise.tasks.Tasks;
import dev.stepwise.tasks.sessions.ActivityKind;
import dev.stepwise.tasks.sessions.Session;
import dev.stepwise.tasks.sessions.SessionLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A task follows its run: each engine event of a task's execution moves the task's status and
 * writes the session's activity in the very transaction that appends the event, by whichever path
 * (a node running the step, the reaper, a cancel, an approval) it was appended. So the task can
 * never be left behind its execution: a run that ends, however it ends, ends its task. Register
 * with {@link #register} at start-up. Thread-safe.
 */
public final class TaskLifecycle {
  private final SessionIndex index = new SessionIndex();

  public void register(EventLog log) {
    log.react("step.started", this::stepStarted);
    log.react("step.completed", this::stepCompleted);
    log.react("approval.requested", this::approvalRequested);
    log.react("approval.resolved", this::approvalResolved);
    log.react("execution.completed", this::executionCompleted);
    AgentActivity.register(log, index);
  }

  private void stepStarted(EventLog.Tx tx, String topic, Map<String, ?> data) {
    Optional<Phase> phase = Phase.ofStep(data.get("step_name"));
    // a review's start is its approval's request, which approvalRequested writes
    if (phase.isEmpty() || !phase.get().agentWork()) return;
    index.ofExecution(tx.handle(), data.get("execution_id")).ifPresent(session -> {
      move(tx, session, phase.get().status(), null);
      int attempt = data.get("attempt") instanceof Number n ? n.intValue() : 1;
      SessionLog.record(tx, session, ActivityKind.STATUS, phase.get().stepName() + " started"
          + (attempt > 1 ? " again (attempt " + attempt + ")" : ""), null, details("phase", phase.get().stepName(),
              "attempt", attempt));
    });
  }

  private void stepCompleted(EventLog.Tx tx, String topic, Map<String, ?> data) {
    Optional<Phase> phase = Phase.ofStep(data.get("step_name"));
    if (phase.isEmpty() || !phase.get().agentWork()) return;
    index.ofExecution(tx.handle(), data.get("execution_id")).ifPresent(session -> {
      Object status = data.get("status");
      Object error = data.get("error");
      SessionLog.record(tx, session, "succeeded".equals(status) ? ActivityKind.STATUS : ActivityKind.ERROR,
          phase.get().stepName() + " " + status + (error == null ? "" : ": " + error), null,
          details("phase", phase.get().stepName(), "status", status, "will_retry", data.get("will_retry")));
    });
  }

  private void approvalRequested(EventLog.Tx tx, String topic, Map<String, ?> data) {
    index.ofExecution(tx.handle(), data.get("execution_id")).ifPresent(session -> {
      Optional<Phase> phase = Phase.ofStep(data.get("step_name"));
      if (phase.isPresent() && !phase.get().agentWork()) move(tx, session, phase.get().status(), null);
      Task task = Tasks.find(tx.handle(), session.taskId()).orElse(null);
      String text;
      if (data.get("tool") != null) {
        text = data.get("tool") + " waits for a decision: " + ToolCalls.describe(String.valueOf(data.get("tool")),
            data.get("arguments"));
      } else if (phase.orElse(null) == Phase.PLANNING_REVIEW) {
        text = "the plan waits for a review" + (task == null || task.plan() == null ? "" : ":\n" + task.plan());
      } else {
        text = "the work waits for a merge review" + (task == null ? "" : ": " + task.filesChanged() + " files, +"
            + task.additions() + " −" + task.deletions());
      }
      var details = details("step_number", data.get("step_number"), "step_name", data.get("step_name"));
      if (data.get("tool") != null) {
        details.put("call_key", data.get("call_key"));
        details.put("arguments", data.get("arguments"));
      }
      SessionLog.record(tx, session, ActivityKind.APPROVAL_REQUESTED, text, (String) data.get("tool"), details);
    });
  }

  private void approvalResolved(EventLog.Tx tx, String topic, Map<String, ?> data) {
    index.ofExecution(tx.handle(), data.get("execution_id")).ifPresent(session -> {
      Object comment = data.get("comment");
      SessionLog.record(tx, session, ActivityKind.APPROVAL_RESOLVED, data.get("step_name") + " " + data.get("decision")
          + " by " + data.get("decided_by") + (comment == null || String.valueOf(comment).isBlank() ? "" : ": " + comment),
          null, details("step_number", data.get("step_number"), "decision", data.get("decision"),
              "decided_by", data.get("decided_by")));
    });
  }

  private void executionCompleted(EventLog.Tx tx, String topic, Map<String, ?> data) {
    if (!"task".equals(data.get("kind"))) return;
    index.ofExecution(tx.handle(), data.get("execution_id")).ifPresent(session -> {
      String status = String.valueOf(data.get("status"));
      String error = data.get("error") == null ? null : String.valueOf(data.get("error"));
      String reason = error != null ? error : "the run ended " + status;
      switch (status) {
        case "completed" -> move(tx, session, TaskStatus.DONE, null);
        case "cancelled", "rejected" -> move(tx, session, TaskStatus.CANCELLED, reason);
        default -> move(tx, session, TaskStatus.FAILED, reason);
      }
      String sessionStatus = switch (status) {
        case "completed" -> "completed";
        case "cancelled", "rejected" -> "cancelled";
        default -> "failed";
      };
      SessionLog.record(tx, session, ActivityKind.STATUS, "the run ended " + status + (error == null ? "" : ": " + error),
          null, details("status", status));
      SessionLog.completed(tx, session, sessionStatus, "completed".equals(status) ? null : reason);
    });
  }

  /**
   * Moves the session's task to {@code to} when its lifecycle allows it from where the task is,
   * with {@code task.status_changed}; an event of an earlier run (the task has moved on to a new
   * session) changes nothing.
   */
  private static void move(EventLog.Tx tx, Session session, TaskStatus to, String reason) {
    Task task = Tasks.find(tx.handle(), session.taskId()).orElse(null);
    if (task == null || task.status() == to || !Long.valueOf(session.sessionId()).equals(task.sessionId())) return;
    if (!task.status().canBecome(to)) return;
    if (Tasks.move(tx.handle(), task.id(), task.status(), to, reason, tx.now())) {
      TaskEvents.statusChanged(tx, task.id(), task.status(), to, reason);
    }
  }

  static Map<String, Object> details(Object... keysAndValues) {
    var map = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }
}
