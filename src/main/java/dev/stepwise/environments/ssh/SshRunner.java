package dev.stepwise.environments.ssh;

import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.environments.EnvironmentUnavailable;
import dev.stepwise.plans.Durations;
import dev.stepwise.runners.LinePump;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepProcesses;
import dev.stepwise.runners.StepRun;
import dev.stepwise.runners.StepRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelExec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs command and test steps on one remote environment over SSH, as the local runner does on this
 * machine: the step's script is put in place, then run in a terminal (so that a dropped connection
 * hangs it up) in its own session and process group, its output streamed line by line with the
 * same limits and masking. Timeout and cancel stop every process carrying the step's mark (TERM,
 * grace, KILL, then a check), and the step's log says what was stopped. A connection that goes away
 * fails the step with {@code connection lost}; its processes are stopped once the host answers
 * again. Thread-safe.
 */
public final class SshRunner implements StepRunner {
  private static final Logger log = LoggerFactory.getLogger(SshRunner.class);
  private static final int KILL_GRACE_SECONDS = 2;
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

  private final SshConnections connections;
  private final String environment;
  private final LeftoverCleanup cleanup;

  public SshRunner(SshConnections connections, String environment, LeftoverCleanup cleanup) {
    this.connections = connections;
    this.environment = environment;
    this.cleanup = cleanup;
  }

  @Override
  public StepOutcome run(StepRun run, OutputSink output) throws InterruptedException {
    SshConnections.Lease lease;
    try {
      lease = connections.borrow(environment);
    } catch (EnvironmentUnavailable e) {
      return new StepOutcome.Failed(null, e.getMessage());
    }
    var health = connections.health(environment);
    health.started();
    try (lease) {
      return runOn(lease, run, output);
    } finally {
      health.finished();
    }
  }

  private StepOutcome runOn(SshConnections.Lease lease, StepRun run, OutputSink output) throws InterruptedException {
    EnvironmentSpec spec = lease.spec();
    String key = RemoteScripts.key(run.mark());
    try {
      RemoteCommands.Result placed = RemoteCommands.run(lease.session(), RemoteScripts.place(key),
          RemoteScripts.step(run).getBytes(StandardCharsets.UTF_8), COMMAND_LIMIT);
      if (!placed.succeeded()) {
        return new StepOutcome.Failed(null, SshConnections.named(spec) + ": cannot put the step's script in place ("
            + placed.describe() + ")");
      }
    } catch (IOException e) {
      return lost(lease, run, "before the step started: " + SshConnections.reason(e));
    }
    ChannelExec channel;
    Thread reader;
    // MINA's own waitFor swallows interrupts: the end is awaited here, where a shutdown's interrupt is heard
    var closed = new CompletableFuture<Void>();
    try {
      channel = RemoteCommands.exec(lease.session(), RemoteScripts.run(key));
      channel.setUsePty(true);
      channel.setPtyType("dumb");
      channel.addCloseFutureListener(future -> closed.complete(null));
      channel.open().verify(COMMAND_LIMIT);
      reader = Thread.ofVirtual().start(() -> LinePump.pump(channel.getInvertedOut(), output, run.secrets()));
    } catch (IOException e) {
      return lost(lease, run, "when the step started: " + SshConnections.reason(e));
    }
    var stopping = new Stopping(lease, run.mark(), output);
    Runnable stopper = () -> stopping.stop("cancelled");
    run.cancel().onCancel(stopper);
    try {
      if (!ended(closed, run.timeout())) {
        stopping.stop("timed out after " + Durations.format(run.timeout()));
        ended(closed, Duration.ofSeconds(KILL_GRACE_SECONDS + 5));
        reader.join(Duration.ofSeconds(KILL_GRACE_SECONDS));
        return run.cancel().cancelled() ? new StepOutcome.Cancelled() : new StepOutcome.TimedOut(run.timeout());
      }
      reader.join(Duration.ofSeconds(KILL_GRACE_SECONDS));
      if (run.cancel().cancelled()) {
        stopping.stop("cancelled"); // waits for a stop already under way
        return new StepOutcome.Cancelled();
      }
      Integer code = channel.getExitStatus();
      String signal = channel.getExitSignal();
      if (code == null && signal == null) return lost(lease, run, lease.lostBecause());
      lease.answered(null);
      if (signal != null) return new StepOutcome.Failed(null, "killed by signal " + signal + " on " + spec.name());
      return code == 0 ? new StepOutcome.Succeeded(0) : new StepOutcome.Failed(code, "exited with code " + code);
    } catch (InterruptedException e) {
      stopping.stop("the server stopped the step");
      throw e;
    } finally {
      run.cancel().remove(stopper);
      channel.close(false);
    }
  }

  /**
   * What a step that was running here when its node died may have left: stopped now if the host
   * answers, else as soon as it does.
   */
  @Override
  public void stopLeftovers(ProcessMark mark) {
    try (SshConnections.Lease lease = connections.borrow(environment)) {
      StepProcesses.Report report = RemoteStop.stop(lease.session(), mark.value(), KILL_GRACE_SECONDS);
      if (report.found() > 0) log.info("environment {}: stopped {} process(es) left by step {}", environment,
          report.found(), mark.value());
    } catch (EnvironmentUnavailable | IOException e) {
      cleanup.later(environment, mark.value(), "its node stopped while it ran: " + SshConnections.reason(e));
    }
  }

  /** Whether the command's channel closed within {@code limit}. */
  private static boolean ended(CompletableFuture<Void> closed, Duration limit) throws InterruptedException {
    try {
      closed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // never completed exceptionally; closed all the same
    }
  }

  /** The connection went away: the step fails saying so, and its processes are stopped when the host answers. */
  private StepOutcome lost(SshConnections.Lease lease, StepRun run, String why) {
    lease.lost(why);
    cleanup.later(environment, run.mark().value(), "connection lost: " + why);
    return new StepOutcome.Failed(null, "connection lost to " + SshConnections.named(lease.spec()) + ": " + why);
  }

  /**
   * Stops the step's processes on the host exactly once, whoever asks first (a cancel, the
   * timeout); a later caller waits until it is done. The step's log says what was stopped.
   */
  private final class Stopping {
    private final SshConnections.Lease lease;
    private final ProcessMark mark;
    private final OutputSink output;
    private boolean done;

    Stopping(SshConnections.Lease lease, ProcessMark mark, OutputSink output) {
      this.lease = lease;
      this.mark = mark;
      this.output = output;
    }

    synchronized void stop(String occasion) {
      if (done) return;
      done = true;
      try {
        StepProcesses.Report report = RemoteStop.stop(lease.session(), mark.value(), KILL_GRACE_SECONDS);
        report.describe(occasion).map(line -> line + " on " + environment).ifPresent(output::line);
      } catch (IOException | RuntimeException e) {
        output.line("[stepwise] " + occasion + ": the step's processes on " + environment + " could not be stopped now ("
            + SshConnections.reason(e) + "); they will be once the host answers");
        log.info("environment {}: stopping {} failed ({}); left for later", environment, mark.value(), e.getMessage());
        cleanup.later(environment, mark.value(), occasion + ": " + SshConnections.reason(e));
      }
    }
  }
}
