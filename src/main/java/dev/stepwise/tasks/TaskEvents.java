package dev.stepwise.tasks;

import dev.stepwise.events.EventLog;
import java.util.LinkedHashMap;

/** The task events of API.md §6, appended in the transaction of the change they report. */
public final class TaskEvents {
  private TaskEvents() {}

  public static String topic(long taskId) {
    return "task:" + taskId;
  }

  /**
   * {@code task.status_changed}; {@code from} is {@code null} for a new task, {@code reason} says
   * why a task failed or was cancelled.
   */
  public static void statusChanged(EventLog.Tx tx, long taskId, TaskStatus from, TaskStatus to, String reason) {
    var data = new LinkedHashMap<String, Object>();
    data.put("task_id", taskId);
    data.put("from", from == null ? null : from.wireName());
    data.put("to", to.wireName());
    if (reason != null) data.put("reason", reason);
    tx.append("task.status_changed", topic(taskId), data);
  }
}
