package dev.stepwise.runners;

import dev.stepwise.plans.StepSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a runner needs for one attempt of one step.
 *
 * @param env the merged environment (plan, then step), plain values, with the engine's own variables
 * @param timeout how long this attempt may take, never null
 * @param mark carried by every process the attempt starts, so that all of them can be found and stopped
 * @param secrets the plan's secret values, for runners that keep or report output themselves
 * @param fence called first in every transaction a runner writes itself: it throws when this node
 *     no longer holds the execution, so that a fenced-off worker's late writes are rejected
 * @param machine where the step runs, and the runner of commands there
 */
public record StepRun(long executionId, int stepNumber, StepSpec spec, Map<String, String> env, Path workdir,
    Duration timeout, CancelSignal cancel, ProcessMark mark, Secrets secrets,
    java.util.function.Consumer<org.jdbi.v3.core.Handle> fence, Machine machine) {

  /** A run on this node's own machine. */
  public StepRun(long executionId, int stepNumber, StepSpec spec, Map<String, String> env, Path workdir,
      Duration timeout, CancelSignal cancel, ProcessMark mark, Secrets secrets,
      java.util.function.Consumer<org.jdbi.v3.core.Handle> fence) {
    this(executionId, stepNumber, spec, env, workdir, timeout, cancel, mark, secrets, fence, Machine.LOCAL);
  }

  /** The same attempt of another spec, in another working directory. */
  public StepRun with(StepSpec otherSpec, Path otherWorkdir) {
    return new StepRun(executionId, stepNumber, otherSpec, env, otherWorkdir, timeout, cancel, mark, secrets, fence,
        machine);
  }

  /** A run that writes nothing of its own (a process, an HTTP request). */
  public StepRun(long executionId, int stepNumber, StepSpec spec, Map<String, String> env, Path workdir,
      Duration timeout, CancelSignal cancel, ProcessMark mark) {
    this(executionId, stepNumber, spec, env, workdir, timeout, cancel, mark, Secrets.NONE, h -> { });
  }
}
