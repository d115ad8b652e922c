package dev.stepwise.runners;

/**
 * The mark every process of one step carries in its environment ({@code STEPWISE_STEP_MARK}), from
 * the step's first process to its last descendant: a child that leaves the step's process group
 * ({@code setsid}, a double fork, {@code nohup … &}) still has it. Stepwise finds a step's
 * processes by it on timeout, cancel and crash recovery. The node is part of the mark, so that two
 * servers on one machine with their own databases never touch each other's processes.
 */
public record ProcessMark(String nodeId, long executionId, int stepNumber) {
  public static final String VARIABLE = "STEPWISE_STEP_MARK";

  public String value() {
    return nodeId + "/" + executionId + "/" + stepNumber;
  }

  /** As it appears in {@code /proc/<pid>/environ}. */
  String entry() {
    return VARIABLE + "=" + value();
  }
}
