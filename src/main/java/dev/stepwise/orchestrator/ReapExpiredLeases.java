package dev.stepwise.orchestrator;

import dev.stepwise.events.Signals;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.StepProcesses;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rescues executions whose node stopped holding them: an expired lease, or (at start-up) any lease
 * held under this node's own id by the process before a restart. The interrupted step is settled by
 * {@link Interruptions}: run again, or failed as {@code interrupted} with what happened. Thread-safe.
 */
final class ReapExpiredLeases implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReapExpiredLeases.class);

  private static final Duration LEFTOVER_GRACE = Duration.ofMillis(500);

  private final EngineContext engine;
  private final Duration leaseTtl;

  ReapExpiredLeases(EngineContext engine, Duration leaseTtl) {
    this.engine = engine;
    this.leaseTtl = leaseTtl;
  }

  @Override
  public void run() {
    rescue(null);
  }

  /** Rescues expired leases, and every lease of {@code restartedNodeId} when given. */
  int rescue(String restartedNodeId) {
    if (restartedNodeId == null && engine.executions().db().recoveredWithin(leaseTtl)) {
      // nobody could renew a lease while the database was away: their holders get one lease's time
      return 0;
    }
    List<ExecutionRow> abandoned = engine.executions().db().reads().withHandle(h ->
        Leases.abandoned(h, engine.executions().db().dialect(), restartedNodeId));
    int rescued = 0;
    for (ExecutionRow row : abandoned) {
      // a slice of this node still runs it (its heartbeat waited out a database outage): it is not abandoned
      if (engine.running().contains(row.id())) continue;
      try {
        stopLeftovers(row);
        if (rescueOne(row, restartedNodeId != null && restartedNodeId.equals(row.leaseOwner()))) rescued++;
      } catch (RuntimeException e) {
        log.warn("could not rescue execution {}: {}", row.id(), e.toString());
      }
    }
    return rescued;
  }

  /**
   * Whatever the interrupted step started may still run on this machine (its node restarted here,
   * or stalled here) or on the remote machine it ran on: its processes carry the step's mark, so
   * they are found and stopped first, so that a re-run never runs beside its ghost. No database
   * connection is held meanwhile.
   */
  private void stopLeftovers(ExecutionRow row) {
    List<StepRow> running = engine.executions().db().reads().withHandle(h -> Steps.forExecution(h, row.id())).stream()
        .filter(step -> step.status() == StepStatus.RUNNING).toList();
    Plan plan = running.isEmpty() ? null : engine.plans().load(row.planJson());
    for (StepRow step : running) {
      var mark = new ProcessMark(row.leaseOwner(), row.id(), step.stepNumber());
      var placed = engine.runners().forStep(plan, plan.steps().get(step.stepNumber() - 1));
      if (placed.remote()) {
        // on a remote machine: its runner stops them there, now or once the host answers
        placed.runner().ifPresent(runner -> runner.stopLeftovers(mark));
        continue;
      }
      var report = StepProcesses.stop(mark, null, LEFTOVER_GRACE);
      if (report.found() > 0) {
        log.info("execution {}: stopped {} process(es) left by step {}", row.id(), report.found(), step.stepNumber());
      }
    }
  }

  private boolean rescueOne(ExecutionRow row, boolean restarted) {
    Plan plan = engine.plans().load(row.planJson());
    return engine.log().transact(tx -> {
      if (!Leases.seize(tx.handle(), row)) return false;
      StepRow interrupted = Steps.forExecution(tx.handle(), row.id()).stream()
          .filter(s -> s.status() == StepStatus.RUNNING).findFirst().orElse(null);
      tx.wake(Signals.Channel.DISPATCH, "");
      if (interrupted == null) return true;
      StepSpec spec = plan.steps().get(interrupted.stepNumber() - 1);
      String what = "node " + row.leaseOwner() + (restarted ? " restarted" : " stopped renewing its lease")
          + " while step " + interrupted.stepNumber() + " ('" + interrupted.name() + "') was running";
      String error = Interruptions.settle(tx, row.id(), interrupted, spec, what);
      if (error == null) {
        log.info("execution {}: {}; re-running it", row.id(), what);
        return true;
      }
      Executions.transition(tx.handle(), row.id(), ExecutionStatus.RUNNING, ExecutionStatus.FAILED, error, tx.now());
      tx.append(ExecutionEvents.completed(row, ExecutionStatus.FAILED, error, tx.now()));
      log.info("execution {}: {}; failed it as interrupted", row.id(), what);
      return true;
    });
  }
}
