package dev.stepwise.tasks.run;

import java.time.Duration;

/** The phase limits with the {@code native} backend. The native agent fails its phase at the model's first error. */
public abstract class NativePhaseLimitsContract extends PhaseLimitsContract {
  @Override
  protected String agent() {
    return "native";
  }

  @Override
  protected int retriesBeforeFailing() {
    return 0;
  }

  @Override
  protected Duration phaseTimeout() {
    return Duration.ofSeconds(10);
  }
}
