package dev.stepwise.orchestrator;

import dev.stepwise.executions.ApprovalDecisions;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.IllegalTransition;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.Durations;
import dev.stepwise.plans.Plan;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settles steps nobody decided on within the plan's {@code approval_timeout}. Thread-safe. */
final class ExpireApprovals implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ExpireApprovals.class);

  private final EngineContext engine;

  ExpireApprovals(EngineContext engine) {
    this.engine = engine;
  }

  @Override
  public void run() {
    List<Map.Entry<Long, Integer>> expired = engine.executions().db().reads().withHandle(h -> h.createQuery("""
            SELECT execution_id, step_number FROM steps
            WHERE status = 'waiting_approval' AND approval_expires_at IS NOT NULL AND approval_expires_at < :now""")
        .bind("now", engine.log().clock().millis())
        .map((rs, ctx) -> Map.entry(rs.getLong("execution_id"), rs.getInt("step_number"))).list());
    for (var entry : expired) {
      try {
        expire(entry.getKey(), entry.getValue());
      } catch (IllegalTransition decidedMeanwhile) {
        // someone decided just now: nothing to do
      } catch (RuntimeException e) {
        log.warn("could not expire the approval of execution {} step {}: {}", entry.getKey(), entry.getValue(), e.toString());
      }
    }
  }

  private void expire(long executionId, int stepNumber) {
    engine.log().transact(tx -> {
      ExecutionRow row = Executions.find(tx.handle(), executionId).orElseThrow();
      StepRow step = Steps.forExecution(tx.handle(), executionId).get(stepNumber - 1);
      Plan plan = engine.plans().load(row.planJson());
      String waited = plan.approvalTimeout() == null ? "" : " after " + Durations.format(plan.approvalTimeout());
      if (plan.onApprovalTimeout() == Plan.OnApprovalTimeout.FAIL) {
        ApprovalDecisions.failForTimeout(tx, row, step, "nobody decided on step " + stepNumber + " ('" + step.name()
            + "')" + waited + " (approval_timeout)");
      } else {
        ApprovalDecisions.reject(tx, row, step, "stepwise (approval_timeout)", "nobody decided" + waited);
      }
      return null;
    });
  }
}
