package dev.stepwise.agents.tools;

import dev.stepwise.runners.CancelSignal;
import dev.stepwise.runners.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where one tool call runs: the run's workspace (also the shell's working directory), the
 * execution's environment variables, how long it may take, its cancel signal, and the step log
 * its output is copied to; {@code processStarted} records a started process's group so that a
 * restarted server stops what a crash left behind.
 */
public record ToolContext(long executionId, int stepNumber, Path workspace, Map<String, String> env, Duration timeout,
    CancelSignal cancel, OutputSink log, java.util.function.LongConsumer processStarted) {
  public ToolContext {
    env = Map.copyOf(env);
  }
}
