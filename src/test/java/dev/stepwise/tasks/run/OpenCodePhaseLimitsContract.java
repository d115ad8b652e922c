package dev.stepwise.tasks.run;

import java.time.Duration;

/**
 * The phase limits with the {@code opencode} backend. OpenCode retries a failing model; the phase
 * fails at the retry past the limit. OpenCode takes seconds to open a new worktree before its first
 * model call (about 8 s on two busy cores), so its phases get 30 s.
 */
public abstract class OpenCodePhaseLimitsContract extends PhaseLimitsContract {
  @Override
  protected String agent() {
    return "opencode";
  }

  @Override
  protected int retriesBeforeFailing() {
    return dev.stepwise.tasks.backends.opencode.OpenCodeBackend.MAX_MODEL_RETRIES + 1;
  }

  @Override
  protected Duration phaseTimeout() {
    return Duration.ofSeconds(30);
  }
}
