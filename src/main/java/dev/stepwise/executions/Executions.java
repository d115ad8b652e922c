package dev.stepwise.executions;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.plans.Plan;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Like;
import dev.stepwise.store.Page;
import dev.stepwise.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The execution store: rows, the views clients read, and the compare-and-set transitions the
 * engine and the services make inside their transactions. Thread-safe.
 */
public final class Executions {
  static final String COLUMNS = "id, name, kind, status, priority, plan_json, labels, created_by, created_by_name, created_at, "
      + "queued_at, started_at, finished_at, deadline_at, current_step, environment, waiting_for, error, lease_owner, "
      + "lease_expires_at, fence, run_after, cancel_requested, retry_of";

  private final Database db;

  public Executions(Database db) {
    this.db = db;
  }

  public Database db() {
    return db;
  }

  /** What a submission stores. */
  /** @param localLabels the labels a node's {@code local} environment needs to take it */
  public record NewExecution(Plan plan, String planJson, List<String> localLabels, Long createdBy, String createdByName,
      Long retryOf) {}

  public long insert(Handle h, NewExecution execution, Instant now) {
    Plan plan = execution.plan();
    long id = h.createQuery("""
            INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by, created_by_name,
              created_at, queued_at, run_after, retry_of)
            VALUES (:name, :kind, 'queued', :priority, :plan, :labels, :by, :byName, :now, :now, 0, :retryOf)
            RETURNING id""")
        .bind("name", plan.name()).bind("kind", plan.kind().wireName()).bind("priority", plan.priority())
        .bind("plan", execution.planJson()).bind("labels", new String(Json.write(execution.localLabels())))
        .bind("by", execution.createdBy()).bind("byName", execution.createdByName())
        .bind("now", now.toEpochMilli()).bind("retryOf", execution.retryOf())
        .mapTo(Long.class).one();
    Steps.insert(h, id, plan.steps());
    return id;
  }

  public Optional<ExecutionRow> find(long id) {
    return db.reads().withHandle(h -> find(h, id));
  }

  public static Optional<ExecutionRow> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE id = :id").bind("id", id)
        .map(Executions::map).findOne();
  }

  public Optional<Execution> view(long id) {
    return db.reads().withHandle(h -> find(h, id).map(row -> Execution.of(row, Steps.forExecution(h, id))));
  }

  /**
   * Which executions a list shows.
   *
   * @param name a part of the name, in any case; {@code null} for all
   */
  public record Filter(ExecutionStatus status, ExecutionKind kind, String name) {
    public static final Filter ALL = new Filter(null, null, null);

  }

  /** Newest first; the cursor is the last id of the previous page. */
  public Page<Execution> list(Filter filter, long beforeId, int limit) {
    return db.reads().withHandle(h -> {
      List<ExecutionRow> rows = h.createQuery(listText(filter))
          .bind("before", beforeId <= 0 ? Long.MAX_VALUE : beforeId)
          .bind("kind", filter.kind() == null ? null : filter.kind().wireName())
          .bind("name", Like.given(filter.name()) ? Like.contains(filter.name()) : null)
          .bind("limit", limit + 1).map(Executions::map).list();
      List<Execution> views = withSteps(h, rows);
      return Page.of(views, limit, Execution::id);
    });
  }

  /**
   * The statement of a list, newest first, with {@code :before}, {@code :kind}, {@code :name} and
   * {@code :limit}. Its status filter is a literal of the enum: a finished status also names the
   * term of the partial index of finished statuses (V13), from which both databases see that they may
   * read that index (SQLite proves a partial index usable only from the same term, never from a
   * bound value). Unfinished executions are few, or recent, and found walking the ids back.
   */
  public static String listText(Filter filter) {
    return "SELECT " + COLUMNS + " FROM executions WHERE id < :before"
        + (filter.status() == null ? "" : " AND " + statusIs(filter.status()))
        + (filter.kind() == null ? "" : " AND kind = :kind")
        + (Like.given(filter.name()) ? " AND " + Like.condition("name", "name") : "")
        + " ORDER BY id DESC LIMIT :limit";
  }

  /** The finished statuses in the order of the enum, as migration 13's partial index names them. */
  private static final String FINISHED = java.util.Arrays.stream(ExecutionStatus.values())
      .filter(ExecutionStatus::finished).map(status -> "'" + status.wireName() + "'")
      .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

  private static String statusIs(ExecutionStatus status) {
    return "status = '" + status.wireName() + "'" + (status.finished() ? " AND status IN " + FINISHED : "");
  }

  /** How many queued executions the dispatcher will claim before this one. */
  public long queuedAhead(ExecutionRow row) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT COUNT(*) FROM executions WHERE status = 'queued' AND id <> :id AND (priority > :priority
              OR (priority = :priority AND (queued_at < :queued OR (queued_at = :queued AND id < :id))))""")
        .bind("id", row.id()).bind("priority", row.priority()).bind("queued", row.queuedAt().toEpochMilli())
        .mapTo(Long.class).one());
  }

  /** How many steps wait for a decision, for the dashboard's navigation. */
  public long countWaitingSteps() {
    return db.reads().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM steps WHERE status = 'waiting_approval'")
        .mapTo(Long.class).one());
  }

  /** Every queued, running and waiting execution, highest priority first. */
  public List<Execution> active(int limit) {
    return db.reads().withHandle(h -> withSteps(h, h.createQuery("SELECT " + COLUMNS + " FROM executions "
            + "WHERE status IN ('queued', 'running', 'waiting_approval') "
            + "ORDER BY priority DESC, queued_at, id LIMIT :limit")
        .bind("limit", limit).map(Executions::map).list()));
  }

  private static List<Execution> withSteps(Handle h, List<ExecutionRow> rows) {
    List<Execution> views = new ArrayList<>(rows.size());
    for (ExecutionRow row : rows) views.add(Execution.of(row, Steps.forExecution(h, row.id())));
    return views;
  }

  /** Counts of executions by kind and status. */
  public Map<String, Long> countByKindAndStatus() {
    return db.reads().withHandle(h -> {
      var counts = new java.util.HashMap<String, Long>();
      h.createQuery("SELECT kind, status, COUNT(*) AS n FROM executions "
              + "WHERE status IN ('queued', 'running', 'waiting_approval') GROUP BY kind, status")
          .map((rs, ctx) -> Map.entry(rs.getString("kind") + "/" + rs.getString("status"), rs.getLong("n")))
          .forEach(e -> counts.put(e.getKey(), e.getValue()));
      return counts;
    });
  }

  /** Finished executions since {@code since}: status and duration, for metrics. */
  public List<Finished> finishedSince(Instant since) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT status, started_at, finished_at, queued_at FROM executions
            WHERE finished_at >= :since ORDER BY finished_at DESC LIMIT 100000""")
        .bind("since", since.toEpochMilli())
        .map((rs, ctx) -> new Finished(ExecutionStatus.fromWireName(rs.getString("status")),
            Columns.instant(rs, "queued_at"), Columns.instant(rs, "started_at"), Columns.instant(rs, "finished_at")))
        .list());
  }

  /** A finished execution's times. */
  public record Finished(ExecutionStatus status, Instant queuedAt, Instant startedAt, Instant finishedAt) {}

  /** from → to for an execution that is not leased (queued, waiting, or parked). */
  public static boolean transition(Handle h, long id, ExecutionStatus from, ExecutionStatus to, String error, Instant now) {
    from.transitionTo(to, id);
    return h.createUpdate("""
            UPDATE executions SET status = :to, error = COALESCE(:error, error),
              finished_at = CASE WHEN :finished THEN :now ELSE finished_at END,
              lease_owner = NULL, lease_expires_at = NULL, run_after = 0
            WHERE id = :id AND status = :from""")
        .bind("to", to.wireName()).bind("error", error).bind("finished", to.finished())
        .bind("now", now.toEpochMilli()).bind("id", id).bind("from", from.wireName()).execute() == 1;
  }

  /**
   * running → cancelled for an execution that no node holds (parked for a retry's backoff): only
   * while it is still unleased, so a node that claims it at the same moment is never overridden.
   */
  public static boolean cancelParked(Handle h, long id, String error, Instant now) {
    ExecutionStatus.RUNNING.transitionTo(ExecutionStatus.CANCELLED, id);
    return h.createUpdate("""
            UPDATE executions SET status = 'cancelled', error = :error, finished_at = :now, run_after = 0
            WHERE id = :id AND status = 'running' AND lease_owner IS NULL""")
        .bind("error", error).bind("now", now.toEpochMilli()).bind("id", id).execute() == 1;
  }

  /** queued → waiting_approval: a plan whose first step is a gate waits from the start. */
  public static boolean awaitFirstDecision(Handle h, long id) {
    ExecutionStatus.QUEUED.transitionTo(ExecutionStatus.WAITING_APPROVAL, id);
    return h.createUpdate("UPDATE executions SET status = 'waiting_approval', current_step = 1 "
        + "WHERE id = :id AND status = 'queued'").bind("id", id).execute() == 1;
  }

  /** A parked execution (waiting for a decision or a retry) → timed_out, only while no node holds it. */
  public static boolean timeOutParked(Handle h, long id, ExecutionStatus from, String error, Instant now) {
    from.transitionTo(ExecutionStatus.TIMED_OUT, id);
    return h.createUpdate("""
            UPDATE executions SET status = 'timed_out', error = :error, finished_at = :now, run_after = 0
            WHERE id = :id AND status = :from AND lease_owner IS NULL""")
        .bind("error", error).bind("now", now.toEpochMilli()).bind("id", id).bind("from", from.wireName()).execute() == 1;
  }

  /** Asks the node running it to stop; true when this call made the request. */
  public static boolean requestCancel(Handle h, long id) {
    return h.createUpdate("UPDATE executions SET cancel_requested = TRUE WHERE id = :id AND status = 'running' "
        + "AND cancel_requested = FALSE").bind("id", id).execute() == 1;
  }

  /** The columns {@link #mapRow} reads, for queries elsewhere in the engine. */
  public static String columns() {
    return COLUMNS;
  }

  /** The columns, each qualified with {@code alias} (for a statement that names two tables). */
  public static String columns(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.strip())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  public static ExecutionRow mapRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return map(rs, ctx);
  }

  static ExecutionRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ExecutionRow(
        rs.getLong("id"), rs.getString("name"),
        ExecutionKind.fromWireName(rs.getString("kind")).orElseThrow(),
        ExecutionStatus.fromWireName(rs.getString("status")), rs.getInt("priority"), rs.getString("plan_json"),
        labels(rs.getString("labels")), Columns.longValue(rs, "created_by"), rs.getString("created_by_name"),
        Columns.instant(rs, "created_at"), Columns.instant(rs, "queued_at"), Columns.instant(rs, "started_at"),
        Columns.instant(rs, "finished_at"), Columns.instant(rs, "deadline_at"), Columns.integer(rs, "current_step"),
        rs.getString("environment"), rs.getString("waiting_for"), rs.getString("error"), rs.getString("lease_owner"),
        Columns.instant(rs, "lease_expires_at"), rs.getLong("fence"), Columns.instant(rs, "run_after"),
        rs.getBoolean("cancel_requested"), Columns.longValue(rs, "retry_of"));
  }

  private static List<String> labels(String json) {
    if (json.equals("[]")) return List.of(); // most executions ask for no label
    try {
      return Json.mapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored labels are not a JSON list", e);
    }
  }
}
