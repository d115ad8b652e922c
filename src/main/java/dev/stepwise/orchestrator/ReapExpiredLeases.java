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
import dev.stepwise.runners.LeftoverProcesses;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rescues executions whose node stopped holding them: an expired lease, or (at start-up) any lease
 * held under this node's own id by the process before a restart. A step that was running is run
 * again only when it is idempotent or has retries left; otherwise the execution fails as
 * {@code interrupted}. Thread-safe.
 */
final class ReapExpiredLeases implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReapExpiredLeases.class);

  private final EngineContext engine;

  ReapExpiredLeases(EngineContext engine) {
    this.engine = engine;
  }

  @Override
  public void run() {
    rescue(null);
  }

  /** Rescues expired leases, and every lease of {@code restartedNodeId} when given. */
  int rescue(String restartedNodeId) {
    List<ExecutionRow> abandoned = engine.executions().db().reads().withHandle(h ->
        Leases.abandoned(h, engine.executions().db().dialect(), restartedNodeId));
    int rescued = 0;
    for (ExecutionRow row : abandoned) {
      if (row.leaseOwner().equals(engine.nodeId())) killLeftovers(row);
      try {
        if (rescueOne(row)) rescued++;
      } catch (RuntimeException e) {
        log.warn("could not rescue execution {}: {}", row.id(), e.toString());
      }
    }
    return rescued;
  }

  /** This node ran it before it crashed: whatever its step started may still be running here. */
  private void killLeftovers(ExecutionRow row) {
    engine.executions().db().reads().useHandle(h -> {
      for (StepRow step : Steps.forExecution(h, row.id())) {
        if (step.status() != StepStatus.RUNNING) continue;
        Long group = Steps.processGroup(h, row.id(), step.stepNumber());
        if (group == null) continue;
        int killed = LeftoverProcesses.kill(group, row.id(), step.stepNumber());
        if (killed > 0) log.info("execution {}: killed {} process(es) left by step {} before the restart", row.id(), killed, step.stepNumber());
      }
    });
  }

  private boolean rescueOne(ExecutionRow row) {
    Plan plan = engine.parser().reload(row.planJson());
    return engine.log().transact(tx -> {
      if (!Leases.seize(tx.handle(), row)) return false;
      StepRow interrupted = Steps.forExecution(tx.handle(), row.id()).stream()
          .filter(s -> s.status() == StepStatus.RUNNING).findFirst().orElse(null);
      tx.wake(Signals.Channel.DISPATCH, "");
      if (interrupted == null) return true;
      StepSpec spec = plan.steps().get(interrupted.stepNumber() - 1);
      String where = "node " + row.leaseOwner() + " stopped while step " + interrupted.stepNumber()
          + " ('" + interrupted.name() + "') was running";
      if (SliceDecider.rerunAfterInterruption(spec, interrupted)) {
        String error = "interrupted: " + where + "; running it again";
        Steps.requeue(tx.handle(), row.id(), interrupted.stepNumber(), null, null, error);
        ExecutionEvents.stepCompleted(tx, row.id(), interrupted, StepStatus.FAILED, null, error, true);
        log.info("execution {}: {}; re-running it", row.id(), where);
        return true;
      }
      String error = "interrupted: " + where + ", and it is not idempotent and has no retries left";
      Steps.finish(tx.handle(), row.id(), interrupted.stepNumber(), StepStatus.RUNNING, StepStatus.FAILED, null, null,
          error, tx.now());
      Steps.closeRemaining(tx.handle(), row.id(), StepStatus.CANCELLED, tx.now());
      Executions.transition(tx.handle(), row.id(), ExecutionStatus.RUNNING, ExecutionStatus.FAILED, error, tx.now());
      ExecutionEvents.stepCompleted(tx, row.id(), interrupted, StepStatus.FAILED, null, error, false);
      ExecutionEvents.completed(tx, row, ExecutionStatus.FAILED, error, tx.now());
      log.info("execution {}: {}; failed it as interrupted", row.id(), where);
      return true;
    });
  }
}
