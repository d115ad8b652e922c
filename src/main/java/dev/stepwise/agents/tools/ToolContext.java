package dev.stepwise.agents.tools;

import dev.stepwise.runners.CancelSignal;
import dev.stepwise.runners.Machine;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where one tool call runs: the run's workspace (also the shell's working directory), the
 * execution's environment variables, how long it may take, its cancel signal, and the step log
 * its output is copied to; {@code mark} is carried by every process a call starts, so that all of
 * them are stopped with the step (and after a crash), and {@code secrets} mask what a call shows;
 * {@code machine} is where the {@code shell} tool runs its commands (this node, or the remote
 * machine of the step's environment).
 */
public record ToolContext(long executionId, int stepNumber, Path workspace, Map<String, String> env, Duration timeout,
    CancelSignal cancel, OutputSink log, ProcessMark mark, Secrets secrets, Machine machine) {
  public ToolContext {
    env = Map.copyOf(env);
  }

  /** A call on this node's own machine. */
  public ToolContext(long executionId, int stepNumber, Path workspace, Map<String, String> env, Duration timeout,
      CancelSignal cancel, OutputSink log, ProcessMark mark, Secrets secrets) {
    this(executionId, stepNumber, workspace, env, timeout, cancel, log, mark, secrets, Machine.LOCAL);
  }
}
