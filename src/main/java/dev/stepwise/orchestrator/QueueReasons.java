package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Says in one line why a queued execution is not running yet: the engine is stopped, it is held
 * for a retry, it waits for a slot of a busy environment, no environment has its labels, every
 * worker slot is busy, or others are ahead of it.
 * Thread-safe.
 */
public final class QueueReasons {
  private final Executions executions;
  private final Orchestrator orchestrator;
  private final Clock clock;

  public QueueReasons(Executions executions, Orchestrator orchestrator, Clock clock) {
    this.executions = executions;
    this.orchestrator = orchestrator;
    this.clock = clock;
  }

  /** Why execution {@code id} waits, or empty when it is not queued. */
  public Optional<String> why(long id) {
    return executions.find(id).filter(row -> row.status() == ExecutionStatus.QUEUED).map(this::explain);
  }

  private String explain(ExecutionRow row) {
    Orchestrator.Status status = orchestrator.status();
    Instant now = clock.instant();
    if (!status.running()) {
      return "The orchestrator on node " + status.nodeId() + " is stopped: nothing is dispatched until it is "
          + "restarted (POST /api/v1/execution/orchestrator/restart).";
    }
    if (row.waitingFor() != null) {
      return "Waiting for a free slot of environment '" + row.waitingFor() + "': every slot is busy; it goes on as soon "
          + "as a step there ends.";
    }
    if (row.runAfter() != null && row.runAfter().isAfter(now)) {
      return "Held for a retry until " + row.runAfter() + " (in " + seconds(Duration.between(now, row.runAfter()))
          + ").";
    }
    var labels = status.environment().labels();
    var missing = row.labels().stream().filter(label -> !labels.contains(label)).toList();
    if (!missing.isEmpty()) {
      return "No environment has the labels " + missing + ": environment '" + status.environment().name()
          + "' has " + labels + ".";
    }
    if (status.busy() >= status.workers()) {
      return "All " + status.workers() + " worker slots on node " + status.nodeId() + " are busy.";
    }
    long ahead = executions.queuedAhead(row);
    if (ahead > 0) return ahead + (ahead == 1 ? " execution is" : " executions are") + " ahead of it in the queue.";
    return "Next in line: it starts as soon as the dispatcher claims it.";
  }

  private static String seconds(Duration duration) {
    return Math.max(1, duration.toSeconds()) + " s";
  }
}
