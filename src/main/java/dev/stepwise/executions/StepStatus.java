package dev.stepwise.executions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A step's lifecycle (API.md §4). The allowed transitions are all here. */
public enum StepStatus {
  PENDING, WAITING_APPROVAL, RUNNING, SUCCEEDED, FAILED, SKIPPED, REJECTED, CANCELLED, TIMED_OUT;

  private static final Set<StepStatus> FINISHED = EnumSet.of(SUCCEEDED, FAILED, SKIPPED, REJECTED, CANCELLED, TIMED_OUT);
  private static final Map<StepStatus, Set<StepStatus>> ALLOWED = Map.of(
      PENDING, EnumSet.of(RUNNING, WAITING_APPROVAL, SUCCEEDED, SKIPPED, CANCELLED),
      // approved: back to pending, to run; a timed-out decision fails or rejects it
      WAITING_APPROVAL, EnumSet.of(PENDING, REJECTED, FAILED, CANCELLED, SKIPPED, TIMED_OUT),
      // a retry or a re-run after a crash goes back to pending; an agent's tool call can wait for a decision
      RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, REJECTED, PENDING, WAITING_APPROVAL),
      SUCCEEDED, EnumSet.noneOf(StepStatus.class),
      FAILED, EnumSet.noneOf(StepStatus.class),
      SKIPPED, EnumSet.noneOf(StepStatus.class),
      REJECTED, EnumSet.noneOf(StepStatus.class),
      CANCELLED, EnumSet.noneOf(StepStatus.class),
      TIMED_OUT, EnumSet.noneOf(StepStatus.class));

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static StepStatus fromWireName(String name) {
    return valueOf(name.toUpperCase());
  }

  public boolean finished() {
    return FINISHED.contains(this);
  }

  /** Finished without success: the execution fails here unless the step may continue on error. */
  public boolean unsuccessful() {
    return this == FAILED || this == TIMED_OUT || this == CANCELLED || this == REJECTED;
  }

  public boolean canBecome(StepStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** @throws IllegalTransition when the lifecycle does not allow {@code next} */
  public StepStatus transitionTo(StepStatus next, long executionId, int stepNumber) {
    if (!canBecome(next)) {
      throw new IllegalTransition("step " + stepNumber + " of execution " + executionId + " is " + wireName()
          + " and cannot become " + next.wireName());
    }
    return next;
  }
}
