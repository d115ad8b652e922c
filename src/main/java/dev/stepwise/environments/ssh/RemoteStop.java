package dev.stepwise.environments.ssh;

import dev.stepwise.runners.StepProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.sshd.client.session.ClientSession;

/** Stops a step's processes on a remote machine by their mark and reports what it did. Thread-safe (stateless). */
final class RemoteStop {
  private RemoteStop() {}

  static StepProcesses.Report stop(ClientSession session, String mark, int graceSeconds) throws IOException {
    RemoteCommands.Result result = RemoteCommands.run(session, RemoteScripts.stop(mark, graceSeconds),
        RemoteScripts.STOP.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(graceSeconds + 30L));
    if (!result.succeeded()) throw new IOException("the stop did not finish (" + result.describe() + ")");
    String last = result.output().strip().lines().reduce((first, second) -> second).orElse("");
    String[] counts = last.strip().split("\\s+");
    if (counts.length != 3) throw new IOException("the stop answered '" + result.output().strip() + "'");
    try {
      return new StepProcesses.Report(Integer.parseInt(counts[0]), 0, Integer.parseInt(counts[1]),
          Integer.parseInt(counts[2]));
    } catch (NumberFormatException e) {
      throw new IOException("the stop answered '" + result.output().strip() + "'");
    }
  }
}
