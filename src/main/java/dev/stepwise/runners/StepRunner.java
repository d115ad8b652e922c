package dev.stepwise.runners;

/**
 * Runs one attempt of a step: honours its timeout and cancellation and streams its output.
 * Implementations are thread-safe; many steps run at once.
 */
public interface StepRunner {
  StepOutcome run(StepRun run, OutputSink output) throws InterruptedException;

  /**
   * Stops whatever an attempt of a step left running when its node died ({@code mark} names it);
   * called when the step is recovered. Runners that start nothing that outlives them do nothing.
   */
  default void stopLeftovers(ProcessMark mark) {}
}
