package dev.stepwise.runners;

import dev.stepwise.plans.StepType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Which runner runs which step type on this node. Thread-safe once built. */
public final class Runners {
  private final Map<StepType, StepRunner> byType = new EnumMap<>(StepType.class);

  public static Runners local() {
    var runners = new Runners();
    var process = new LocalProcessRunner();
    runners.byType.put(StepType.COMMAND, process);
    runners.byType.put(StepType.TEST, process);
    runners.byType.put(StepType.HTTP, new HttpRunner());
    return runners;
  }

  public Runners with(StepType type, StepRunner runner) {
    byType.put(type, runner);
    return this;
  }

  public Optional<StepRunner> forType(StepType type) {
    return Optional.ofNullable(byType.get(type));
  }
}
