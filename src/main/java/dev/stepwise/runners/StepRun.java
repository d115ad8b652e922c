package dev.stepwise.runners;

import dev.stepwise.plans.StepSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a runner needs for one attempt of one step.
 *
 * @param env the merged environment (plan, then step), plain values
 * @param timeout how long this attempt may take, never null
 * @param processStarted told the process group id of a started process, so that it can be found
 *     and stopped after a crash
 */
public record StepRun(long executionId, int stepNumber, StepSpec spec, Map<String, String> env, Path workdir,
    Duration timeout, CancelSignal cancel, java.util.function.LongConsumer processStarted) {}
