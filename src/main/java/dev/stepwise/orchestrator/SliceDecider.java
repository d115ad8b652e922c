package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.TestTally;
import dev.stepwise.plans.Durations;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.plans.StepType;
import dev.stepwise.runners.StepOutcome;
import java.time.Instant;
import java.util.List;

/**
 * Decides what a leased execution does next, from a snapshot and the time: a pure function, so
 * the engine's rules are tested without processes, databases or sleeping.
 */
final class SliceDecider {
  private SliceDecider() {}

  /** What to do next. */
  sealed interface Decision {}

  /** End the execution. */
  record Finish(ExecutionStatus status, String error) implements Decision {}

  /** Park the execution until a human decides on this step. */
  record AwaitApproval(StepRow step) implements Decision {}

  /** Run this step's next attempt with its runner. */
  record RunStep(StepRow step, StepSpec spec) implements Decision {}

  /** Mark this step succeeded without running anything (a noop, or an approved gate). */
  record PassStep(StepRow step) implements Decision {}

  static Decision decide(ExecutionRow execution, List<StepRow> steps, Plan plan, Instant now) {
    if (execution.cancelRequested()) return new Finish(ExecutionStatus.CANCELLED, "cancelled on request");
    if (plan.timeout() != null && execution.startedAt() != null
        && !now.isBefore(execution.startedAt().plus(plan.timeout()))) {
      return new Finish(ExecutionStatus.TIMED_OUT, "the execution ran longer than its timeout of "
          + Durations.format(plan.timeout()));
    }
    for (StepRow step : steps) {
      StepSpec spec = plan.steps().get(step.stepNumber() - 1);
      switch (step.status()) {
        case SUCCEEDED, SKIPPED -> { }
        case FAILED, TIMED_OUT, CANCELLED -> {
          if (!spec.continueOnError()) return new Finish(ExecutionStatus.FAILED, failure(step));
        }
        case REJECTED -> {
          if (!spec.continueOnError()) return new Finish(ExecutionStatus.REJECTED, failure(step));
        }
        case RUNNING -> {
          return new Finish(ExecutionStatus.FAILED, "step " + step.stepNumber() + " ('" + step.name()
              + "') was left running by an interrupted attempt");
        }
        case WAITING_APPROVAL -> {
          return new AwaitApproval(step);
        }
        case PENDING -> {
          // a gate not yet decided (a refused gate ends the step; approved = false on a pending step is a
          // refused tool call, after which the step goes on)
          if (spec.needsApproval() && step.approved() == null) return new AwaitApproval(step);
          if (spec.type() == StepType.NOOP || spec.type() == StepType.APPROVAL) return new PassStep(step);
          return new RunStep(step, spec);
        }
      }
    }
    if (plan.kind() == ExecutionKind.TEST) {
      // every case runs (each may fail), but the suite fails when one did not pass
      TestTally tally = TestTally.of(steps);
      if (tally.passed() < tally.total()) return new Finish(ExecutionStatus.FAILED, tally.verdict());
    }
    return new Finish(ExecutionStatus.COMPLETED, null);
  }

  private static String failure(StepRow step) {
    String what = "step " + step.stepNumber() + " ('" + step.name() + "') " + step.status().wireName();
    return step.error() == null ? what : what + ": " + step.error();
  }

  /** Whether a failed attempt is tried again, and after how long (doubling from the first delay). */
  static java.util.Optional<java.time.Duration> retryDelay(StepSpec spec, int attemptsSoFar) {
    if (attemptsSoFar > spec.retries()) return java.util.Optional.empty();
    long factor = 1L << Math.min(attemptsSoFar - 1, 20);
    return java.util.Optional.of(spec.retryDelay().multipliedBy(factor));
  }

  /** Whether a step interrupted by a crash may run again. */
  static boolean rerunAfterInterruption(StepSpec spec, StepRow step) {
    // an agent step checkpoints every tool call, so running it again resumes it without repeating one;
    // a task's phase resumes its agent's session, or fails 'interrupted' when it cannot
    return spec.type() == StepType.AGENT || spec.type() == StepType.TASK || spec.idempotent() || step.attempts() <= spec.retries();
  }

  static StepStatus statusOf(StepOutcome outcome) {
    return switch (outcome) {
      case StepOutcome.Succeeded s -> StepStatus.SUCCEEDED;
      case StepOutcome.Failed f -> StepStatus.FAILED;
      case StepOutcome.TimedOut t -> StepStatus.TIMED_OUT;
      case StepOutcome.Cancelled c -> StepStatus.CANCELLED;
      case StepOutcome.Rejected r -> StepStatus.REJECTED;
      case StepOutcome.AwaitingApproval a -> StepStatus.WAITING_APPROVAL;
    };
  }
}
