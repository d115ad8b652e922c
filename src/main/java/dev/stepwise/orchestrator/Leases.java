package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.store.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The lease side of the execution store: claiming, guarding every write with the fence, renewing,
 * releasing and finding expired leases. All compare-and-set. Thread-safe (stateless).
 */
final class Leases {
  private static final String CLAIMABLE = "(status = 'queued' OR (status = 'running' AND lease_owner IS NULL))";

  private Leases() {}

  /** A claim candidate. */
  record Candidate(long id, String status, boolean neverStarted, String name, String kind) {}

  /**
   * Claims up to {@code limit} executions this node can run, highest priority first, then oldest.
   * On PostgreSQL the candidates are locked with {@code FOR UPDATE SKIP LOCKED}, so concurrent
   * nodes claim different executions; SQLite has a single writer.
   */
  static List<Lease> claim(Handle h, Dialect dialect, String nodeId, int limit, Instant now, java.time.Duration leaseTtl,
      List<String> availableLabels) {
    String available = new String(dev.stepwise.web.Json.write(availableLabels), java.nio.charset.StandardCharsets.UTF_8);
    List<Candidate> candidates = h.createQuery("SELECT id, status, started_at, name, kind, labels FROM executions WHERE " + CLAIMABLE
            + " AND run_after <= :now AND " + dialect.labelsWithin() + " ORDER BY priority DESC, queued_at, id LIMIT :limit"
            + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : ""))
        .bind("now", now.toEpochMilli()).bind("limit", limit).bind("available", available)
        .map((rs, ctx) -> new Candidate(rs.getLong("id"), rs.getString("status"),
            dev.stepwise.store.Columns.instant(rs, "started_at") == null, rs.getString("name"), rs.getString("kind")))
        .list();
    List<Lease> leases = new ArrayList<>();
    for (Candidate candidate : candidates) {
      Long fence = h.createQuery("UPDATE executions SET status = 'running', lease_owner = :node, "
              + "lease_expires_at = " + dialect.nowMillis() + " + :ttl, fence = fence + 1, "
              + "started_at = COALESCE(started_at, :now), environment = COALESCE(environment, 'local'), waiting_for = NULL "
              + "WHERE id = :id AND status = :status AND lease_owner IS NULL RETURNING fence")
          .bind("node", nodeId).bind("ttl", leaseTtl.toMillis()).bind("now", now.toEpochMilli())
          .bind("id", candidate.id()).bind("status", candidate.status())
          .mapTo(Long.class).findOne().orElse(null);
      if (fence != null) {
        leases.add(new Lease(candidate.id(), fence, nodeId, candidate.neverStarted(), candidate.name(), candidate.kind()));
      }
    }
    return leases;
  }

  /** When the earliest execution parked for a retry becomes due, if any. */
  static java.util.Optional<Instant> nextDue(Handle h, Instant now) {
    return h.createQuery("SELECT MIN(run_after) FROM executions WHERE status = 'running' AND lease_owner IS NULL "
            + "AND run_after > :now")
        .bind("now", now.toEpochMilli()).mapTo(Long.class).findOne().map(Instant::ofEpochMilli);
  }

  /** Throws {@link Fenced} unless this node still holds the lease; on PostgreSQL it also locks the row. */
  static void guard(Handle h, Lease lease) {
    int rows = h.createUpdate("UPDATE executions SET fence = fence WHERE id = :id AND fence = :fence "
            + "AND lease_owner = :node AND status = 'running'")
        .bind("id", lease.executionId()).bind("fence", lease.fence()).bind("node", lease.nodeId()).execute();
    if (rows != 1) throw new Fenced(lease.executionId());
  }

  static void setCurrentStep(Handle h, Lease lease, int step) {
    h.createUpdate("UPDATE executions SET current_step = :step WHERE id = :id AND fence = :fence")
        .bind("step", step).bind("id", lease.executionId()).bind("fence", lease.fence()).execute();
  }

  /**
   * Gives the lease up while keeping the execution running (it parks until {@code runAfter}),
   * unless a cancel request arrived meanwhile: then {@link CancelArrived} rolls the parking back.
   */
  static void release(Handle h, Lease lease, Instant runAfter) {
    int rows = h.createUpdate("""
            UPDATE executions SET lease_owner = NULL, lease_expires_at = NULL, run_after = :after
            WHERE id = :id AND fence = :fence AND lease_owner = :node AND cancel_requested = FALSE""")
        .bind("after", runAfter.toEpochMilli()).bind("id", lease.executionId()).bind("fence", lease.fence())
        .bind("node", lease.nodeId()).execute();
    if (rows != 1) throw cancelOrFenced(h, lease);
  }

  /**
   * running → queued until a slot of {@code environment} is free: the step has not started, the
   * lease is given back, and the execution is claimed again when a slot is given back (or at
   * {@code recheckAt}), unless a cancel request arrived meanwhile.
   */
  static void waitForEnvironment(Handle h, Lease lease, String environment, Instant recheckAt) {
    int rows = h.createUpdate("""
            UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, run_after = :after,
              waiting_for = :env
            WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running' AND cancel_requested = FALSE""")
        .bind("after", recheckAt.toEpochMilli()).bind("env", environment).bind("id", lease.executionId())
        .bind("fence", lease.fence()).bind("node", lease.nodeId()).execute();
    if (rows != 1) throw cancelOrFenced(h, lease);
  }

  /** Records the environment the execution's current step runs on. */
  static void setEnvironment(Handle h, Lease lease, String environment) {
    h.createUpdate("UPDATE executions SET environment = :env WHERE id = :id AND fence = :fence")
        .bind("env", environment).bind("id", lease.executionId()).bind("fence", lease.fence()).execute();
  }

  /** running → waiting_approval, unless a cancel request arrived meanwhile. */
  static void parkForApproval(Handle h, Lease lease, int step) {
    int rows = h.createUpdate("""
            UPDATE executions SET status = 'waiting_approval', lease_owner = NULL, lease_expires_at = NULL,
              run_after = 0, current_step = :step
            WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running' AND cancel_requested = FALSE""")
        .bind("step", step).bind("id", lease.executionId()).bind("fence", lease.fence()).bind("node", lease.nodeId())
        .execute();
    if (rows != 1) throw cancelOrFenced(h, lease);
  }

  private static RuntimeException cancelOrFenced(Handle h, Lease lease) {
    boolean cancelRequested = h.createQuery("SELECT cancel_requested FROM executions WHERE id = :id AND fence = :fence "
            + "AND lease_owner = :node").bind("id", lease.executionId()).bind("fence", lease.fence())
        .bind("node", lease.nodeId()).mapTo(Boolean.class).findOne().orElse(false);
    return cancelRequested ? new CancelArrived() : new Fenced(lease.executionId());
  }

  /** A cancel request arrived while the slice was about to park: it must decide again instead. */
  static final class CancelArrived extends RuntimeException {
    CancelArrived() {
      super("a cancel request arrived", null, false, false);
    }
  }

  /** running → a finished status or waiting_approval, dropping the lease. */
  static void end(Handle h, Lease lease, ExecutionStatus to, String error, Instant now) {
    end(h, lease, to, error, now, null);
  }

  /** The same, also recording the step it ended at (when not {@code null}). */
  static void end(Handle h, Lease lease, ExecutionStatus to, String error, Instant now, Integer currentStep) {
    ExecutionStatus.RUNNING.transitionTo(to, lease.executionId());
    int rows = h.createUpdate("""
            UPDATE executions SET status = :to, error = :error, lease_owner = NULL, lease_expires_at = NULL,
              finished_at = CASE WHEN :finished THEN :now ELSE NULL END, run_after = 0,
              current_step = COALESCE(:step, current_step)
            WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running'""")
        .bind("to", to.wireName()).bind("error", error).bind("finished", to.finished()).bind("step", currentStep)
        .bind("now", now.toEpochMilli()).bind("id", lease.executionId()).bind("fence", lease.fence())
        .bind("node", lease.nodeId()).execute();
    if (rows != 1) throw new Fenced(lease.executionId());
  }

  /** Extends one lease by {@code ttl} from the database's now; false when it is no longer this holder's. */
  static boolean renew(Handle h, Dialect dialect, Lease lease, java.time.Duration ttl) {
    return h.createUpdate("UPDATE executions SET lease_expires_at = " + dialect.nowMillis() + " + :ttl "
            + "WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running'")
        .bind("ttl", ttl.toMillis()).bind("id", lease.executionId()).bind("fence", lease.fence())
        .bind("node", lease.nodeId()).execute() == 1;
  }

  /** Executions whose lease expired, or that {@code nodeId} held before it restarted. */
  static List<ExecutionRow> abandoned(Handle h, Dialect dialect, String restartedNodeId) {
    return h.createQuery("SELECT " + dev.stepwise.executions.Executions.columns() + " FROM executions "
            + "WHERE status = 'running' AND lease_owner IS NOT NULL AND (lease_expires_at < " + dialect.nowMillis()
            + " OR lease_owner = :me)")
        .bind("me", restartedNodeId == null ? "" : restartedNodeId)
        .map(dev.stepwise.executions.Executions::mapRow).list();
  }

  /** Takes an abandoned lease away from its holder; false when someone else already did. */
  static boolean seize(Handle h, ExecutionRow row) {
    return h.createUpdate("""
            UPDATE executions SET lease_owner = NULL, lease_expires_at = NULL
            WHERE id = :id AND fence = :fence AND lease_owner = :owner AND status = 'running'""")
        .bind("id", row.id()).bind("fence", row.fence()).bind("owner", row.leaseOwner()).execute() == 1;
  }

}
