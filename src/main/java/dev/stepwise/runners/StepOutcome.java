package dev.stepwise.runners;

import java.time.Duration;

/** How one attempt of a step ended. */
public sealed interface StepOutcome {
  /** The exit code, when a process ran. */
  Integer exitCode();

  record Succeeded(Integer exitCode) implements StepOutcome {}

  /** @param reason what went wrong, in words a person can act on */
  record Failed(Integer exitCode, String reason) implements StepOutcome {}

  record TimedOut(Duration after) implements StepOutcome {
    public Integer exitCode() { return null; }
  }

  record Cancelled() implements StepOutcome {
    public Integer exitCode() { return null; }
  }
}
