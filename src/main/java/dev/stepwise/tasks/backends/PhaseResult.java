package dev.stepwise.tasks.backends;

import dev.stepwise.runners.StepOutcome;

/**
 * How a phase ended.
 *
 * @param reply the agent's last answer (the plan, a summary of the work, the review), or {@code null}
 */
public record PhaseResult(StepOutcome outcome, String reply) {
  public static PhaseResult failed(String reason) {
    return new PhaseResult(new StepOutcome.Failed(null, reason), null);
  }
}
