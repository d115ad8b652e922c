package dev.stepwise.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code ./stepwise} the way users do, as a real process with no input, whose combined output
 * is collected.
 */
final class Launcher {
  private static final Pattern READY = Pattern.compile("Stepwise is ready on http://127\\.0\\.0\\.1:(\\d+)");

  /** A started process with its combined output collected line by line. */
  record Run(Process process, List<String> lines, Thread reader) {
    /** Waits for the process to end and its output to be read completely. */
    boolean awaitExit(long seconds) throws InterruptedException {
      boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
      if (exited) reader.join(TimeUnit.SECONDS.toMillis(5));
      return exited;
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  static Run launch(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("./stepwise"));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close(); // nothing to type: a command that asks reads end of input
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    return new Run(process, lines, reader);
  }

  static String runToEnd(Map<String, String> env, String... args) throws Exception {
    return runToEnd(60, env, args);
  }

  static String runToEnd(long seconds, Map<String, String> env, String... args) throws Exception {
    Run run = launch(env, args);
    if (!run.awaitExit(seconds)) {
      run.process().descendants().forEach(ProcessHandle::destroyForcibly);
      run.process().destroyForcibly();
      throw new AssertionError("still running after " + seconds + " s:\n" + run.output());
    }
    return run.output() + "\nexit=" + run.process().exitValue();
  }

  static int awaitReady(Run run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = READY.matcher(run.output());
      if (matcher.find()) return Integer.parseInt(matcher.group(1));
      if (!run.process().isAlive()) throw new AssertionError("server exited:\n" + run.output());
      Thread.sleep(50);
    }
    throw new AssertionError("server never became ready:\n" + run.output());
  }

  private Launcher() {}
}
