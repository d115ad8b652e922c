package dev.stepwise.orchestrator;

import java.util.List;

/**
 * Where executions run, and how many at once. This node's {@code local} environment runs processes
 * on this machine.
 */
public record Environment(String name, List<String> labels, int slots) {
  public Environment {
    labels = List.copyOf(labels);
  }
}
