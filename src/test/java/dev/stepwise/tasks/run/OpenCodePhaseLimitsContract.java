package dev.stepwise.tasks.run;

/** The phase limits with the {@code opencode} backend. OpenCode retries a failing model; the phase fails at the retry past the limit. */
public abstract class OpenCodePhaseLimitsContract extends PhaseLimitsContract {
  @Override
  protected String agent() {
    return "opencode";
  }

  @Override
  protected int retriesBeforeFailing() {
    return dev.stepwise.tasks.backends.opencode.OpenCodeBackend.MAX_MODEL_RETRIES + 1;
  }
}
