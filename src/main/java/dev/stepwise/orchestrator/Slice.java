package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.Plan;
import dev.stepwise.runners.CancelSignal;
import dev.stepwise.secrets.SecretBox;
import dev.stepwise.store.StoreUnavailable;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased execution until it finishes or parks (for approval or a retry's backoff). Each
 * turn reads a snapshot, lets {@link SliceDecider} choose, and performs that choice: state changes
 * in one transaction guarded by the lease's fence, a step's attempt with {@link StepAttempt}.
 */
final class Slice implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Slice.class);

  private final EngineContext engine;
  private final Lease lease;
  private final long id;
  /** The row and steps as the claim left them, for the first decision; null once used. */
  private Leases.Claim claimed;
  private final StepAttempt attempt;

  Slice(EngineContext engine, Leases.Claim claim) {
    this.engine = engine;
    this.lease = claim.lease();
    this.id = lease.executionId();
    this.claimed = claim;
    this.attempt = new StepAttempt(engine, lease);
  }

  /** Whether a step of this slice needed one of the node's workers ({@link Prefetch}); read once it ran. */
  boolean neededWorker() {
    return attempt.neededWorker();
  }

  @Override
  public void run() {
    CancelSignal cancel = engine.running().register(lease);
    try {
      loop(cancel);
    } catch (Fenced e) {
      log.info("execution {}: {}; leaving it to the new holder", id, e.getMessage());
    } catch (InterruptedException e) {
      log.info("execution {}: stopped by shutdown; it resumes when a node recovers it", id);
      Thread.currentThread().interrupt();
    } catch (SecretBox.Unreadable e) {
      log.error("execution {}: {}", id, e.getMessage());
      failQuietly(e.getMessage());
    } catch (RuntimeException e) {
      log.error("execution {}: unexpected failure", id, e);
      failQuietly("internal error in the engine; the server log of node " + engine.nodeId()
          + " has the details (execution " + id + ")");
    } finally {
      engine.running().unregister(lease);
    }
  }

  /**
   * Decides and acts until the execution finishes or parks. A database outage while reading or
   * deciding costs a pause and a fresh start from the stored state; what exists only in memory (a
   * step's outcome) is stored by {@link UntilStored}.
   */
  private void loop(CancelSignal cancel) throws InterruptedException {
    var backoff = new UntilStored.Backoff();
    while (true) {
      try {
        decideAndAct(cancel);
        return;
      } catch (StoreUnavailable e) {
        backoff.pause(id, "its next state", e);
      }
    }
  }

  private void decideAndAct(CancelSignal cancel) throws InterruptedException {
    Leases.Claim snapshot = claimed;
    claimed = null; // a fresh start after an outage reads the stored state again
    ExecutionRow first = snapshot != null ? snapshot.row() : engine.executions().find(id).orElseThrow(() -> new Fenced(id));
    Plan plan = engine.plans().load(first.planJson());
    boolean setDeadline = plan.timeout() != null && first.deadlineAt() == null && first.startedAt() != null;
    if (setDeadline) {
      // the deadline is kept in the row, so that it also holds while the execution is parked
      engine.log().transact(tx -> {
        Leases.guard(tx.handle(), lease);
        tx.handle().createUpdate("UPDATE executions SET deadline_at = :at WHERE id = :id")
            .bind("at", first.startedAt().plus(plan.timeout()).toEpochMilli()).bind("id", id).execute();
        return null;
      });
    }
    boolean fromClaim = snapshot != null && !setDeadline;
    while (true) {
      ExecutionRow row = fromClaim ? first : engine.executions().find(id).orElseThrow(() -> new Fenced(id));
      if (row.fence() != lease.fence() || !engine.nodeId().equals(row.leaseOwner())) throw new Fenced(id);
      List<StepRow> steps = fromClaim ? snapshot.steps()
          : engine.executions().db().reads().withHandle(h -> Steps.forExecution(h, id));
      fromClaim = false;
      Instant now = engine.log().clock().instant();
      switch (SliceDecider.decide(row, steps, plan, now)) {
        case SliceDecider.Finish finish -> {
          if (settle(row, steps, plan, now)) return;
        }
        case SliceDecider.PassStep pass -> {
          if (settle(row, steps, plan, now)) return;
        }
        case SliceDecider.AwaitApproval await -> {
          try {
            park(row, await.step(), plan);
            return;
          } catch (Leases.CancelArrived cancelled) {
            // decide again: the cancel wins over parking
          }
        }
        case SliceDecider.RunStep step -> {
          if (!attempt.run(row, step, plan, cancel)) return;
        }
      }
    }
  }

  /**
   * Passes every step that runs nothing and, if that reaches the end, finishes the execution, in a
   * transaction it may share with other executions' ({@link Settlement}). Returns whether the
   * execution finished.
   */
  private boolean settle(ExecutionRow row, List<StepRow> snapshot, Plan plan, Instant now) {
    var settlement = Settlement.decide(lease, row, snapshot, plan, now);
    if (settlement.isEmpty()) return false;
    engine.log().transactShared(tx -> {
      settlement.get().store(tx);
      return null;
    });
    return settlement.get().finishes();
  }

  private void park(ExecutionRow row, StepRow step, Plan plan) {
    engine.log().transactShared(tx -> {
      Leases.guard(tx.handle(), lease);
      Instant expires = plan.approvalTimeout() == null ? null : tx.now().plus(plan.approvalTimeout());
      if (step.status() == StepStatus.PENDING) {
        Steps.awaitApproval(tx.handle(), id, step.stepNumber(), tx.now(), expires);
        tx.append(ExecutionEvents.approvalRequested(row, step, tx.now(), expires));
      }
      Leases.parkForApproval(tx.handle(), lease, step.stepNumber());
      return null;
    });
  }

  private void failQuietly(String error) {
    try {
      engine.log().transact(tx -> {
        Leases.guard(tx.handle(), lease);
        ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow();
        for (StepRow step : Steps.forExecution(tx.handle(), id)) {
          if (step.status() == StepStatus.RUNNING) {
            Steps.finish(tx.handle(), id, step.stepNumber(), StepStatus.RUNNING, StepStatus.FAILED, null, null, error, tx.now());
          }
        }
        Steps.closeRemaining(tx.handle(), id, StepStatus.CANCELLED, tx.now());
        Leases.end(tx.handle(), lease, ExecutionStatus.FAILED, error, tx.now());
        tx.append(ExecutionEvents.completed(row, ExecutionStatus.FAILED, error, tx.now()));
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("execution {}: could not record the failure ({}); its lease will expire and be rescued", id, e.toString());
    }
  }
}
