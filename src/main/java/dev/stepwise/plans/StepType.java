package dev.stepwise.plans;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a step runs. */
public enum StepType {
  /** A process: {@code run:} text for {@code /bin/sh -c}, or an {@code argv:} list. */
  COMMAND,
  /** A test command; its outcome is recorded per test case. */
  TEST,
  /** A pure gate: it waits for a human decision and does nothing else. */
  APPROVAL,
  /** One HTTP request. */
  HTTP,
  /** Does nothing and succeeds: for plans' structure and for benchmarks. */
  NOOP,
  /** An agent turn loop; needs the agent runtime. */
  AGENT,
  /**
   * A phase of a coding task's run, done by the task's agent backend in its worktree; only in the
   * executions that {@code POST /tasks/{id}/execute} starts.
   */
  TASK;

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static Optional<StepType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
  }
}
