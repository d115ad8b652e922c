package dev.stepwise.orchestrator;

import dev.stepwise.events.ManyRows;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.Steps;
import dev.stepwise.store.Dialect;
import dev.stepwise.store.KeptStatements;
import dev.stepwise.web.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The lease side of the execution store: claiming, guarding every write with the fence, renewing,
 * releasing and finding expired leases. All compare-and-set. Thread-safe (stateless).
 */
final class Leases {
  /** Executions waiting for their first (or next, after waiting for an environment) claim. */
  static final String QUEUED = "status = 'queued' AND run_after <= :now";
  /** Executions given back for a retry's backoff, or taken from a holder that stopped renewing. */
  static final String PARKED = "status = 'running' AND lease_owner IS NULL AND run_after <= :now";
  private static final String CLAIM_ORDER = " ORDER BY priority DESC, queued_at, id";
  private static final String TAKE = "status = 'running', lease_owner = :node, lease_expires_at = %s + :ttl, "
      + "fence = fence + 1, started_at = COALESCE(started_at, :now), environment = COALESCE(environment, 'local'), "
      + "waiting_for = NULL";

  /**
   * The fence of an execution's first lease: a new execution's fence is 0, and only taking a lease
   * moves it, by one. So a claim that returns fence 1 started the execution; any other resumed it.
   */
  private static final long FIRST_FENCE = 1;

  private Leases() {}

  /** A claimed execution, with its row and steps as the claim left them: the slice's first snapshot. */
  record Claim(Lease lease, ExecutionRow row, List<StepRow> steps) {}

  /**
   * Claims up to {@code limit} executions this node can run: first those parked for a retry, then the
   * queued ones, highest priority first, then oldest. Each kind is one statement of fixed text that
   * takes the leases of an index-ordered query's rows, which reads about as many rows as it claims
   * (the queue's length does not matter), and returns the claimed rows with their steps, so the
   * slices start without reading them again. On PostgreSQL the candidates are locked with
   * {@code FOR UPDATE SKIP LOCKED}, so concurrent nodes claim different executions; SQLite has a
   * single writer.
   */
  static List<Claim> claim(Handle h, Dialect dialect, String nodeId, int limit, Instant now, Duration leaseTtl,
      List<String> availableLabels) {
    String available = new String(Json.write(availableLabels), StandardCharsets.UTF_8);
    var taken = new ArrayList<>(take(h, dialect, PARKED, nodeId, limit, now, leaseTtl, available));
    if (taken.size() < limit) taken.addAll(take(h, dialect, QUEUED, nodeId, limit - taken.size(), now, leaseTtl, available));
    if (taken.isEmpty()) return List.of();
    taken.sort(Comparator.comparing((ExecutionRow row) -> -row.priority()).thenComparing(ExecutionRow::queuedAt)
        .thenComparing(ExecutionRow::id));
    Map<Long, List<StepRow>> steps = Steps.forExecutions(h, dialect, taken.stream().map(ExecutionRow::id).toList());
    List<Claim> claims = new ArrayList<>(taken.size());
    for (ExecutionRow row : taken) {
      claims.add(new Claim(new Lease(row.id(), row.fence(), nodeId, row.fence() == FIRST_FENCE, row.name(),
          row.kind().wireName()), row, steps.getOrDefault(row.id(), List.of())));
    }
    return claims;
  }

  /** Takes the leases of up to {@code limit} executions of one kind ({@code which}) in one statement. */
  private static List<ExecutionRow> take(Handle h, Dialect dialect, String which, String nodeId, int limit,
      Instant now, Duration leaseTtl, String available) {
    Map<String, Object> arguments = Map.of("node", nodeId, "ttl", leaseTtl.toMillis(), "now", now.toEpochMilli(),
        "limit", limit, "available", available);
    return KeptStatements.with(h, TAKES.get(dialect).get(which), statement -> {
      List<ExecutionRow> rows = new ArrayList<>(limit);
      try (ResultSet rs = statement.bind(arguments).prepared().executeQuery()) {
        while (rs.next()) rows.add(Executions.mapRow(rs, null));
      }
      return rows;
    });
  }

  /**
   * Takes the lease of execution {@code id}, queued in this same transaction, unless the node would
   * claim another before it: a parked one that is due, or a queued one of at least its priority
   * (older, or queued at the same moment by another submit). Nobody else can claim it meanwhile: no
   * other transaction sees it yet.
   */
  static java.util.Optional<Claim> takeJustQueued(Handle h, Dialect dialect, String nodeId, long id, Instant now,
      Duration leaseTtl, List<String> availableLabels) {
    Map<String, Object> arguments = Map.of("node", nodeId, "ttl", leaseTtl.toMillis(), "now", now.toEpochMilli(),
        "id", id, "available", new String(Json.write(availableLabels), StandardCharsets.UTF_8));
    java.util.Optional<ExecutionRow> taken = KeptStatements.with(h, TAKE_JUST_QUEUED.get(dialect), statement -> {
      try (ResultSet rs = statement.bind(arguments).prepared().executeQuery()) {
        return rs.next() ? java.util.Optional.of(Executions.mapRow(rs, null)) : java.util.Optional.empty();
      }
    });
    return taken.map(row -> new Claim(new Lease(row.id(), row.fence(), nodeId, row.fence() == FIRST_FENCE, row.name(),
        row.kind().wireName()), row, Steps.forExecution(h, row.id())));
  }

  /**
   * The candidates' own definitions ({@link #PARKED}, {@link #QUEUED}) name the rows before it: in a
   * subquery their bare columns are the subquery's table's.
   */
  private static final Map<Dialect, String> TAKE_JUST_QUEUED = java.util.Arrays.stream(Dialect.values())
      .collect(java.util.stream.Collectors.toMap(dialect -> dialect, dialect -> "UPDATE executions SET "
          + TAKE.formatted(dialect.nowMillis()) + " WHERE id = :id AND " + QUEUED + " AND " + dialect.labelsWithin()
          + " AND NOT EXISTS (SELECT 1 FROM executions parked WHERE " + PARKED + ")"
          + " AND NOT EXISTS (SELECT 1 FROM executions ahead WHERE " + QUEUED
          + " AND ahead.priority >= executions.priority AND ahead.id <> executions.id)"
          + " RETURNING " + Executions.columns()));

  /** {@link #takeText} of each dialect and kind, made once. */
  private static final Map<Dialect, Map<String, String>> TAKES = java.util.Arrays.stream(Dialect.values())
      .collect(java.util.stream.Collectors.toMap(dialect -> dialect,
          dialect -> Map.of(QUEUED, takeText(dialect, QUEUED), PARKED, takeText(dialect, PARKED))));

  /**
   * The statement that takes the leases of one kind of candidates ({@link #QUEUED} or {@link #PARKED}):
   * each kind has a partial index of its own, in claim order, that holds only its rows.
   */
  static String takeText(Dialect dialect, String which) {
    String candidates = "SELECT id FROM executions WHERE " + which + " AND " + dialect.labelsWithin() + CLAIM_ORDER
        + " LIMIT :limit";
    String take = TAKE.formatted(dialect.nowMillis());
    return dialect == Dialect.POSTGRESQL
        ? "UPDATE executions e SET " + take + " FROM (" + candidates + " FOR UPDATE SKIP LOCKED) c WHERE e.id = c.id "
            + "RETURNING " + Executions.columns("e")
        : "UPDATE executions SET " + take + " WHERE id IN (" + candidates + ") RETURNING " + Executions.columns();
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

  /** Records the step the execution is at; throws {@link Fenced} unless this node still holds the lease. */
  static void setCurrentStep(Handle h, Lease lease, int step) {
    if (!recordStep(h, lease, step, "")) throw new Fenced(lease.executionId());
  }

  /**
   * Records the step whose attempt starts: throws {@link Fenced} unless this node still holds the
   * lease, or {@link CancelArrived} when a cancel request arrived since the slice's snapshot.
   */
  static void startStep(Handle h, Lease lease, int step) {
    if (!recordStep(h, lease, step, " AND cancel_requested = FALSE")) throw cancelOrFenced(h, lease);
  }

  private static boolean recordStep(Handle h, Lease lease, int step, String andAlso) {
    return h.createUpdate("UPDATE executions SET current_step = :step WHERE id = :id AND fence = :fence "
            + "AND lease_owner = :node AND status = 'running'" + andAlso)
        .bind("step", step).bind("id", lease.executionId()).bind("fence", lease.fence()).bind("node", lease.nodeId())
        .execute() == 1;
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
   * running → queued, back in the shared queue before its step starts: the lease is given back, and
   * any node claims it again in its place (priority, then age) from {@code runAfter}, unless a cancel
   * request arrived meanwhile. {@code waitingFor} is the environment whose slot it waits for, or
   * null when it waits for a worker (more executions waited for one on this node than it keeps).
   */
  static void requeue(Handle h, Lease lease, Instant runAfter, String waitingFor) {
    int rows = h.createUpdate("""
            UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, run_after = :after,
              waiting_for = :env
            WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running' AND cancel_requested = FALSE""")
        .bind("after", runAfter.toEpochMilli()).bind("env", waitingFor).bind("id", lease.executionId())
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

  static final String END = """
      UPDATE executions SET status = :to, error = :error, lease_owner = NULL, lease_expires_at = NULL,
        finished_at = CASE WHEN :finished THEN :now ELSE NULL END, run_after = 0,
        current_step = COALESCE(:step, current_step)
      WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running'""";

  /** {@link #END} for a whole group of ending executions at once, on PostgreSQL. */
  static final ManyRows END_MANY = new ManyRows("""
      UPDATE executions e SET status = v.status, error = v.error, lease_owner = NULL, lease_expires_at = NULL,
        finished_at = CASE WHEN v.finished THEN v.at ELSE NULL END, run_after = 0,
        current_step = COALESCE(v.step, e.current_step)
      FROM unnest(CAST(:to AS text[]), CAST(:error AS text[]), CAST(:finished AS boolean[]), CAST(:step AS integer[]),
        CAST(:now AS bigint[]), CAST(:id AS bigint[]), CAST(:fence AS bigint[]), CAST(:node AS text[]))
        AS v (status, error, finished, step, at, id, fence, node)
      WHERE e.id = v.id AND e.fence = v.fence AND e.lease_owner = v.node AND e.status = 'running'
      RETURNING e.id""", Map.of("to", "text", "error", "text", "finished", "boolean", "step", "integer", "now", "bigint",
      "id", "bigint", "fence", "bigint", "node", "text"), List.of("id"));

  /** The same, also recording the step it ended at (when not {@code null}). */
  static void end(Handle h, Lease lease, ExecutionStatus to, String error, Instant now, Integer currentStep) {
    int rows = h.createUpdate(END).bindMap(endArguments(lease, to, error, now, currentStep)).execute();
    if (rows != 1) throw new Fenced(lease.executionId());
  }

  /**
   * The same as the transaction's last write to the execution, batched with the other executions
   * ending in the same transaction ({@link dev.stepwise.events.EventLog.Tx#defer}).
   */
  static void endLast(dev.stepwise.events.EventLog.Tx tx, Lease lease, ExecutionStatus to, String error, Instant now,
      Integer currentStep) {
    tx.defer(END, END_MANY, endArguments(lease, to, error, now, currentStep), () -> new Fenced(lease.executionId()));
  }

  static Map<String, Object> endArguments(Lease lease, ExecutionStatus to, String error, Instant now,
      Integer currentStep) {
    ExecutionStatus.RUNNING.transitionTo(to, lease.executionId());
    var arguments = new java.util.HashMap<String, Object>();
    arguments.put("to", to.wireName());
    arguments.put("error", error);
    arguments.put("finished", to.finished());
    arguments.put("step", currentStep);
    arguments.put("now", now.toEpochMilli());
    arguments.put("id", lease.executionId());
    arguments.put("fence", lease.fence());
    arguments.put("node", lease.nodeId());
    return arguments;
  }

  /** Extends one lease by {@code ttl} from the database's now; false when it is no longer this holder's. */
  static boolean renew(Handle h, Dialect dialect, Lease lease, Duration ttl) {
    return h.createUpdate("UPDATE executions SET lease_expires_at = " + dialect.nowMillis() + " + :ttl "
            + "WHERE id = :id AND fence = :fence AND lease_owner = :node AND status = 'running'")
        .bind("ttl", ttl.toMillis()).bind("id", lease.executionId()).bind("fence", lease.fence())
        .bind("node", lease.nodeId()).execute() == 1;
  }

  /**
   * Executions whose lease expired, or that {@code nodeId} held before it restarted. A lease's expiry
   * is set exactly while it has a holder, so the partial index of set expiries holds only these.
   */
  static List<ExecutionRow> abandoned(Handle h, Dialect dialect, String restartedNodeId) {
    return h.createQuery("SELECT " + dev.stepwise.executions.Executions.columns() + " FROM executions "
            + "WHERE status = 'running' AND lease_expires_at IS NOT NULL AND (lease_expires_at < " + dialect.nowMillis()
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
