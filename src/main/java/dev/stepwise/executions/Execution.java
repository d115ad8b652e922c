package dev.stepwise.executions;

import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.plans.StepType;
import java.time.Instant;
import java.util.List;

/**
 * An execution as clients see it (API.md §4); a test execution also has the {@code summary} of its
 * cases; a queued one that waits for a busy environment names it in {@code waitingFor}.
 */
public record Execution(
    long id,
    String name,
    ExecutionKind kind,
    ExecutionStatus status,
    int priority,
    String createdBy,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Integer currentStep,
    boolean waitingForApproval,
    Integer approvalStepNumber,
    String environment,
    String waitingFor,
    List<String> labels,
    String error,
    Long retryOf,
    TestTally summary,
    List<Step> steps) {

  /** A step as clients see it. */
  public record Step(
      int stepNumber,
      String name,
      StepType stepType,
      String command,
      boolean requiresApproval,
      Boolean approved,
      String approvedBy,
      String approvalComment,
      StepStatus status,
      boolean completed,
      Integer exitCode,
      Instant startedAt,
      Instant finishedAt,
      String outputTail,
      int attempts,
      String error) {

    static Step of(StepRow row) {
      return new Step(row.stepNumber(), row.name(), row.type(), row.command(), row.requiresApproval(),
          row.approved(), row.approvedBy(), row.approvalComment(), row.status(), row.status().finished(),
          row.exitCode(), row.startedAt(), row.finishedAt(), row.outputTail(), row.attempts(), row.error());
    }
  }

  public static Execution of(ExecutionRow row, List<StepRow> steps) {
    Integer waitingStep = steps.stream().filter(s -> s.status() == StepStatus.WAITING_APPROVAL)
        .map(StepRow::stepNumber).findFirst().orElse(null);
    return new Execution(row.id(), row.name(), row.kind(), row.status(), row.priority(), row.createdBy(),
        row.createdAt(), row.queuedAt(), row.startedAt(), row.finishedAt(), row.currentStep(),
        row.status() == ExecutionStatus.WAITING_APPROVAL, waitingStep, row.environment(), row.waitingFor(), row.labels(),
        row.error(), row.retryOf(), row.kind() == ExecutionKind.TEST ? TestTally.of(steps) : null,
        steps.stream().map(Step::of).toList());
  }
}
