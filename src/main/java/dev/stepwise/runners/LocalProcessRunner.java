package dev.stepwise.runners;

import dev.stepwise.plans.StepSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs command and test steps as local processes. An {@code argv} list is executed as it is; a
 * {@code run} text is the plan author's script for {@code /bin/sh -c}. Either way the process is
 * started through {@code setsid} as the leader of a new process group, so that a timeout or a
 * cancel stops it and every process it started. Output (stdout and stderr merged) is streamed
 * line by line. Thread-safe.
 */
public final class LocalProcessRunner implements StepRunner {
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);
  /** The only variables of the server's environment a step sees (plus the plan's own). */
  private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR");
  /** A line is cut here; the rest of it up to the newline is dropped without being held in memory. */
  static final int MAX_LINE = 8192;
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
    try {
      Files.createDirectories(run.workdir());
      builder.directory(run.workdir().toFile());
    } catch (IOException e) {
      return new StepOutcome.Failed(null, "cannot create the working directory " + run.workdir() + ": " + e.getMessage());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new StepOutcome.Failed(null, "cannot start " + command(run.spec()).getFirst() + ": " + e.getMessage());
    }
    run.processStarted().accept(process.pid());
    Thread reader = Thread.ofVirtual().start(() -> pump(process, output));
    Runnable stopper = () -> ProcessTree.terminate(process, KILL_GRACE);
    run.cancel().onCancel(stopper);
    try {
      boolean exited = process.waitFor(run.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        ProcessTree.terminate(process, KILL_GRACE);
        reader.join(KILL_GRACE.toMillis());
        closeOutput(process, reader);
        return run.cancel().cancelled() ? new StepOutcome.Cancelled() : new StepOutcome.TimedOut(run.timeout());
      }
      ProcessTree.reapGroup(process);
      reader.join(KILL_GRACE.toMillis());
      closeOutput(process, reader);
      if (run.cancel().cancelled()) return new StepOutcome.Cancelled();
      int code = process.exitValue();
      return code == 0 ? new StepOutcome.Succeeded(0) : new StepOutcome.Failed(code, "exited with code " + code);
    } catch (InterruptedException e) {
      ProcessTree.terminate(process, KILL_GRACE);
      throw e;
    } finally {
      run.cancel().remove(stopper);
    }
  }

  /**
   * A process that escaped the group (double-forked into a new session) may still hold the output
   * pipe open: close our end so that the reader thread ends with the step.
   */
  private static void closeOutput(Process process, Thread reader) {
    if (!reader.isAlive()) return;
    try {
      process.getInputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Reads lines of at most {@link #MAX_LINE} characters; never holds more than that in memory. */
  private static void pump(Process process, OutputSink output) {
    try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      var line = new StringBuilder();
      boolean cut = false;
      for (int c; (c = in.read()) != -1; ) {
        if (c == '\n') {
          output.line(cut ? line + " [line cut]" : line.toString());
          line.setLength(0);
          cut = false;
        } else if (line.length() < MAX_LINE) {
          if (c != '\r') line.append((char) c);
        } else {
          cut = true;
        }
      }
      if (!line.isEmpty() || cut) output.line(cut ? line + " [line cut]" : line.toString());
    } catch (IOException ignored) {
      // the process was killed and its pipe closed
    }
  }
}
