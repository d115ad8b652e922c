package dev.stepwise.runners;

import dev.stepwise.plans.Durations;
import dev.stepwise.plans.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs command and test steps as local processes. An {@code argv} list is executed as it is; a
 * {@code run} text is the plan author's script for {@code /bin/sh -c}. Either way the process is
 * started through {@code setsid} as the leader of a new process group, with the step's
 * {@link ProcessMark} in its environment. However the step ends (it exits, times out or is
 * cancelled) every process it started is stopped, including those that left its group, and the
 * step's log says what was stopped. Output (stdout and stderr merged) is streamed line by line.
 * Thread-safe.
 */
public final class LocalProcessRunner implements StepRunner {
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);
  /** What a step left running after it exited gets less time: nobody waits for it any more. */
  private static final Duration LEFTOVER_GRACE = Duration.ofMillis(500);
  /** The only variables of the server's environment a step sees (plus the plan's own). */
  private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR");
  private final String setsid;

  public LocalProcessRunner() {
    this.setsid = Files.isExecutable(java.nio.file.Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
        : Files.isExecutable(java.nio.file.Path.of("/bin/setsid")) ? "/bin/setsid" : null;
  }

  static List<String> command(StepSpec spec) {
    return spec.run() != null ? List.of("/bin/sh", "-c", spec.run()) : spec.argv();
  }

  @Override
  public StepOutcome run(StepRun run, OutputSink output) throws InterruptedException {
    List<String> command = new ArrayList<>();
    if (setsid != null) command.add(setsid);
    command.addAll(command(run.spec()));
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // Steps get a clean environment: the server's own (its database URL, admin password, signing
    // key) must never reach a plan author's process.
    Map<String, String> env = builder.environment();
    Map<String, String> inherited = Map.copyOf(env);
    env.clear();
    for (String name : INHERITED) if (inherited.containsKey(name)) env.put(name, inherited.get(name));
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.putAll(run.env());
    env.put(ProcessMark.VARIABLE, run.mark().value());
    try {
      Files.createDirectories(run.workdir());
      builder.directory(run.workdir().toFile());
    } catch (IOException e) {
      return new StepOutcome.Failed(null, "cannot create the working directory " + run.workdir() + ": " + e.getMessage());
    }
    Process process;
    try {
      process = ProcessStarts.start(builder);
    } catch (IOException e) {
      return new StepOutcome.Failed(null, "cannot start " + command(run.spec()).getFirst() + ": " + e.getMessage());
    }
    Thread reader = Thread.ofVirtual().start(() -> LinePump.pump(process.getInputStream(), output, run.secrets()));
    var stopping = new Stopping(run.mark(), process, output);
    Runnable stopper = () -> stopping.stop("cancelled", KILL_GRACE);
    run.cancel().onCancel(stopper);
    try {
      boolean exited = process.waitFor(run.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        stopping.stop("timed out after " + Durations.format(run.timeout()), KILL_GRACE);
        finishReading(process, reader);
        return run.cancel().cancelled() ? new StepOutcome.Cancelled() : new StepOutcome.TimedOut(run.timeout());
      }
      stopping.stop("after the command exited", LEFTOVER_GRACE);
      finishReading(process, reader);
      if (run.cancel().cancelled()) return new StepOutcome.Cancelled();
      int code = process.exitValue();
      return code == 0 ? new StepOutcome.Succeeded(0) : new StepOutcome.Failed(code, "exited with code " + code);
    } catch (InterruptedException e) {
      stopping.stop("the server stopped the step", KILL_GRACE);
      throw e;
    } finally {
      run.cancel().remove(stopper);
    }
  }

  /**
   * Stops every process of one attempt exactly once, whoever asks first (a cancel, the timeout, the
   * command's exit); a later caller waits until it is done. The step's log says what was stopped.
   */
  private static final class Stopping {
    private final ProcessMark mark;
    private final Process process;
    private final OutputSink output;
    private boolean done;

    Stopping(ProcessMark mark, Process process, OutputSink output) {
      this.mark = mark;
      this.process = process;
      this.output = output;
    }

    synchronized void stop(String occasion, Duration grace) {
      if (done) return;
      done = true;
      StepProcesses.stop(mark, process.toHandle(), grace).describe(occasion).ifPresent(output::line);
    }
  }

  /**
   * Waits for the reader to take the last output; should a process that could not be stopped
   * still hold the pipe open, our end is closed so that the reader ends with the step.
   */
  private static void finishReading(Process process, Thread reader) throws InterruptedException {
    reader.join(KILL_GRACE.toMillis());
    if (!reader.isAlive()) return;
    try {
      process.getInputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
    reader.join(KILL_GRACE.toMillis());
  }
}
