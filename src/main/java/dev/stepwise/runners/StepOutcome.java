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

  /**
   * A person refused what the step is for (the one call a direct tool call step makes): the step
   * ends {@code rejected}, as a refused gate does.
   *
   * @param reason who refused it and why
   */
  record Rejected(String reason) implements StepOutcome {
    public Integer exitCode() { return null; }
  }

  /**
   * The step cannot go on until a person decides on one call it wants to make (an agent's tool
   * call): the execution parks, and the step runs again once the decision is recorded.
   *
   * @param callKey names the call; a decision may name it, to count for this call only
   * @param arguments the call's arguments, shown to the person deciding
   */
  record AwaitingApproval(String callKey, String tool, java.util.Map<String, Object> arguments) implements StepOutcome {
    public AwaitingApproval {
      arguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
    }

    public Integer exitCode() { return null; }
  }
}
