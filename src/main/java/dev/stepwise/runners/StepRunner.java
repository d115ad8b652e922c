package dev.stepwise.runners;

/**
 * Runs one attempt of a step: honours its timeout and cancellation and streams its output.
 * Implementations are thread-safe; many steps run at once.
 */
public interface StepRunner {
  StepOutcome run(StepRun run, OutputSink output) throws InterruptedException;
}
