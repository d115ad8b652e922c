package dev.stepwise.plans;

import java.util.List;

/**
 * Where a plan or a step asks to run: {@code environment: {name: vm}} or {@code {labels: [vm]}}.
 * {@link #ANY} (neither) leaves the choice to what encloses it: a step follows its plan, a plan runs
 * on this node's {@code local} environment.
 *
 * @param name an environment's name, or {@code null}
 * @param labels labels the environment must all have (empty: any)
 */
public record EnvironmentChoice(String name, List<String> labels) {
  public static final EnvironmentChoice ANY = new EnvironmentChoice(null, List.of());

  public EnvironmentChoice {
    labels = List.copyOf(labels);
  }

  public boolean isAny() {
    return name == null && labels.isEmpty();
  }

  /** For messages: {@code 'vm'} or {@code labels [linux, vm]}. */
  public String describe() {
    return name != null ? "'" + name + "'" : "labels " + labels;
  }
}
