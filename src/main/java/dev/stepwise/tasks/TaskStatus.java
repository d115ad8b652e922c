package dev.stepwise.tasks;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.stepwise.executions.IllegalTransition;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A coding task's lifecycle (API.md §6): {@code todo → planning → planning_review → in_progress →
 * ai_review → done}, or {@code failed} or {@code cancelled} from any running phase. A task that has
 * ended may be executed again, which starts it at {@code planning}.
 */
public enum TaskStatus {
  TODO, PLANNING, PLANNING_REVIEW, IN_PROGRESS, AI_REVIEW, DONE, FAILED, CANCELLED;

  private static final Set<TaskStatus> RUNNING = EnumSet.of(PLANNING, PLANNING_REVIEW, IN_PROGRESS, AI_REVIEW);
  private static final Set<TaskStatus> ENDS = EnumSet.of(FAILED, CANCELLED);
  private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = Map.of(
      TODO, EnumSet.of(PLANNING),
      // without a plan review, planning goes straight on to the work
      PLANNING, union(EnumSet.of(PLANNING_REVIEW, IN_PROGRESS), ENDS),
      PLANNING_REVIEW, union(EnumSet.of(IN_PROGRESS), ENDS),
      IN_PROGRESS, union(EnumSet.of(AI_REVIEW), ENDS),
      AI_REVIEW, union(EnumSet.of(DONE), ENDS),
      DONE, EnumSet.of(PLANNING),
      FAILED, EnumSet.of(PLANNING),
      CANCELLED, EnumSet.of(PLANNING));

  private static Set<TaskStatus> union(Set<TaskStatus> a, Set<TaskStatus> b) {
    Set<TaskStatus> all = EnumSet.copyOf(a);
    all.addAll(b);
    return all;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TaskStatus> fromWireName(String name) {
    for (TaskStatus status : values()) if (status.wireName().equals(name)) return Optional.of(status);
    return Optional.empty();
  }

  /** Whether a run of the task is under way (it cannot be changed, deleted or executed again). */
  public boolean running() {
    return RUNNING.contains(this);
  }

  public boolean canBecome(TaskStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** @throws IllegalTransition when the lifecycle does not allow {@code next} */
  public TaskStatus transitionTo(TaskStatus next, long taskId) {
    if (!canBecome(next)) {
      throw new IllegalTransition("task " + taskId + " is " + wireName() + " and cannot become " + next.wireName());
    }
    return next;
  }
}
