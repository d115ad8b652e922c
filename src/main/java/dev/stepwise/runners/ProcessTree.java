package dev.stepwise.runners;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process started as the leader of its own process group (see {@link LocalProcessRunner}),
 * together with everything it started: TERM to the whole group, then KILL after a grace period.
 */
final class ProcessTree {
  private ProcessTree() {}

  static void terminate(Process process, Duration grace) {
    long group = process.pid();
    signal(group, "TERM");
    process.descendants().forEach(ProcessHandle::destroy);
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        // the leader is gone; make sure nothing it left in its group survives
        signal(group, "KILL");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signal(group, "KILL");
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Kills whatever is left in the group of a leader that has exited. */
  static void reapGroup(Process process) {
    signal(process.pid(), "KILL");
  }

  private static void signal(long group, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + group)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill(1): fall back to what the JVM can reach
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
