package dev.stepwise.executions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An execution's lifecycle (API.md §4): {@code queued → running ⇄ waiting_approval → completed |
 * failed | cancelled | rejected | timed_out}. The allowed transitions are all here.
 */
public enum ExecutionStatus {
  QUEUED, RUNNING, WAITING_APPROVAL, COMPLETED, FAILED, CANCELLED, REJECTED, TIMED_OUT;

  private static final Set<ExecutionStatus> FINISHED = EnumSet.of(COMPLETED, FAILED, CANCELLED, REJECTED, TIMED_OUT);
  private static final Map<ExecutionStatus, Set<ExecutionStatus>> ALLOWED = Map.of(
      // a plan whose first step is a gate waits for the decision before it ever runs
      QUEUED, EnumSet.of(RUNNING, WAITING_APPROVAL, CANCELLED, FAILED, TIMED_OUT),
      RUNNING, EnumSet.of(WAITING_APPROVAL, COMPLETED, FAILED, CANCELLED, REJECTED, TIMED_OUT),
      WAITING_APPROVAL, EnumSet.of(RUNNING, REJECTED, FAILED, CANCELLED, TIMED_OUT),
      COMPLETED, EnumSet.noneOf(ExecutionStatus.class),
      FAILED, EnumSet.noneOf(ExecutionStatus.class),
      CANCELLED, EnumSet.noneOf(ExecutionStatus.class),
      REJECTED, EnumSet.noneOf(ExecutionStatus.class),
      TIMED_OUT, EnumSet.noneOf(ExecutionStatus.class));

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static ExecutionStatus fromWireName(String name) {
    return valueOf(name.toUpperCase());
  }

  public boolean finished() {
    return FINISHED.contains(this);
  }

  public boolean canBecome(ExecutionStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** @throws IllegalTransition when the lifecycle does not allow {@code next} */
  public ExecutionStatus transitionTo(ExecutionStatus next, long executionId) {
    if (!canBecome(next)) {
      throw new IllegalTransition("execution " + executionId + " is " + wireName() + " and cannot become " + next.wireName());
    }
    return next;
  }
}
