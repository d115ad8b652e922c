package dev.stepwise.orchestrator;

import java.util.List;
import java.util.Set;

/**
 * Where executions run, and how many at once. This node's {@code local} environment runs processes
 * on this machine.
 */
public record Environment(String name, List<String> labels, int slots) {
  public Environment {
    labels = List.copyOf(labels);
  }

  /** Whether this environment has every label an execution asks for. */
  public boolean satisfies(List<String> required) {
    return Set.copyOf(labels).containsAll(required);
  }
}
