package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends executions whose plan {@code timeout} passed while they were parked (waiting for a decision,
 * or for a retry's backoff) and so had no slice to notice it. Running ones are timed out by their
 * slice. Reads only the deadlines of unfinished executions (their partial index): a finished
 * execution keeps its deadline. Thread-safe.
 */
final class ExpireDeadlines implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ExpireDeadlines.class);

  /** Parked executions whose deadline passed, through the partial index of unfinished ones' deadlines. */
  static final String OVERDUE = """
      SELECT id FROM executions WHERE deadline_at IS NOT NULL AND deadline_at < :now
        AND status IN ('queued', 'running', 'waiting_approval')
        AND (status = 'waiting_approval' OR (status = 'running' AND lease_owner IS NULL))""";

  private final EngineContext engine;

  ExpireDeadlines(EngineContext engine) {
    this.engine = engine;
  }

  @Override
  public void run() {
    List<Long> overdue = engine.executions().db().reads().withHandle(h -> h.createQuery(OVERDUE)
        .bind("now", engine.log().clock().millis()).mapTo(Long.class).list());
    for (long id : overdue) {
      try {
        expire(id);
      } catch (RuntimeException e) {
        log.warn("could not time out execution {}: {}", id, e.toString());
      }
    }
  }

  private void expire(long id) {
    engine.log().transact(tx -> {
      ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow();
      boolean parked = row.status() == ExecutionStatus.WAITING_APPROVAL
          || row.status() == ExecutionStatus.RUNNING && row.leaseOwner() == null;
      if (!parked) return null;
      String error = "the execution ran longer than its timeout while it was "
          + (row.status() == ExecutionStatus.WAITING_APPROVAL ? "waiting for approval" : "waiting to retry a step");
      if (!Executions.timeOutParked(tx.handle(), id, row.status(), error, tx.now())) return null;
      Steps.closeRemaining(tx.handle(), id, StepStatus.TIMED_OUT, tx.now());
      tx.append(ExecutionEvents.completed(row, ExecutionStatus.TIMED_OUT, error, tx.now()));
      return null;
    });
  }
}
