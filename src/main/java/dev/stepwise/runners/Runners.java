package dev.stepwise.runners;

import dev.stepwise.environments.Placements;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.plans.StepType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which runner runs which step on this node: by the environment the step is placed on ({@code local}
 * or a remote one), then by its type. Thread-safe once built.
 */
public final class Runners {
  private final Map<StepType, StepRunner> byType = new EnumMap<>(StepType.class);
  private final Map<String, Map<StepType, StepRunner>> remote = new HashMap<>();
  private final Map<String, Machine> machines = new HashMap<>();
  private Placements placements = Placements.localOnly(java.util.Set.of());

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

  /** A remote environment: its machine (whose command runner runs its command steps) and its other runners by type. */
  public Runners withEnvironment(Machine machine, Map<StepType, StepRunner> runners) {
    var byStepType = new EnumMap<StepType, StepRunner>(StepType.class);
    byStepType.putAll(runners);
    byStepType.put(StepType.COMMAND, machine.commands());
    remote.put(machine.environment(), Map.copyOf(byStepType));
    machines.put(machine.environment(), machine);
    return this;
  }

  /** How steps are placed on environments. */
  public Runners placedBy(Placements placements) {
    this.placements = placements;
    return this;
  }

  /**
   * A step's environment, the runner that runs it there if this node has one, and how many steps
   * may run there at once across every node (0: no limit but this node's workers).
   */
  public record Placed(String environment, Optional<StepRunner> runner, int slots, Machine machine) {
    public boolean remote() {
      return machine.remote();
    }
  }

  public Placed forStep(Plan plan, StepSpec step) {
    String environment = placements.of(plan, step);
    Machine machine = machines.get(environment);
    Optional<StepRunner> runner = machine == null ? Optional.empty()
        : Optional.ofNullable(remote.get(environment).get(step.type()));
    // steps that run nothing on a machine (a gate, an HTTP call) run on the node and hold no slot
    if (runner.isEmpty()) return new Placed(Placements.LOCAL, forType(step.type()), 0, Machine.LOCAL);
    return new Placed(environment, runner, placements.slots(environment), machine);
  }

  public Optional<StepRunner> forType(StepType type) {
    return Optional.ofNullable(byType.get(type));
  }
}
