package dev.stepwise.executions;

import dev.stepwise.plans.StepType;
import java.util.List;

/**
 * How the cases of a test execution fared, counted from its {@code test} steps (one per case):
 * {@code passed} succeeded; {@code failed} ran to an exit code and failed (or their report did);
 * {@code errored} could not run to an outcome (no command, a timeout, a cancel, skipped).
 * {@code total} counts every case, including those still to run.
 */
public record TestTally(int passed, int failed, int errored, int total) {
  public static TestTally of(List<StepRow> steps) {
    int passed = 0, failed = 0, errored = 0, total = 0;
    for (StepRow step : steps) {
      if (step.type() != StepType.TEST) continue;
      total++;
      switch (step.status()) {
        case SUCCEEDED -> passed++;
        case FAILED -> {
          if (step.exitCode() != null) failed++;
          else errored++;
        }
        case TIMED_OUT, CANCELLED, SKIPPED, REJECTED -> errored++;
        case PENDING, RUNNING, WAITING_APPROVAL -> { }
      }
    }
    return new TestTally(passed, failed, errored, total);
  }

  /** Why the execution failed, when a case did not pass: "2 of 5 test cases did not pass (1 failed, 1 errored)". */
  public String verdict() {
    return (failed + errored) + " of " + total + " test cases did not pass (" + failed + " failed, " + errored + " errored)";
  }
}
