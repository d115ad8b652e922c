package dev.stepwise.executions;

import dev.stepwise.events.EventLog;
import dev.stepwise.events.ManyRows;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.plans.StepType;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.store.KeptStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The step store. Every status change is a compare-and-set on the expected current status,
 * checked first against {@link StepStatus}'s transition table. Thread-safe.
 */
public final class Steps {
  static final String COLUMNS = "execution_id, step_number, name, step_type, command, requires_approval, approved, "
      + "approved_by, approval_comment, approval_requested_at, approval_expires_at, status, exit_code, started_at, "
      + "finished_at, output_tail, attempts, error";

  private final Database db;

  public Steps(Database db) {
    this.db = db;
  }

  static void insert(Handle h, long executionId, List<StepSpec> specs) {
    var batch = h.prepareBatch("""
        INSERT INTO steps (execution_id, step_number, name, step_type, command, requires_approval, status, attempts)
        VALUES (:execution, :number, :name, :type, :command, :approval, 'pending', 0)""");
    for (int i = 0; i < specs.size(); i++) {
      StepSpec spec = specs.get(i);
      batch.bind("execution", executionId).bind("number", i + 1).bind("name", spec.name())
          .bind("type", spec.type().wireName()).bind("command", spec.displayCommand())
          .bind("approval", spec.needsApproval()).add();
    }
    batch.execute();
  }

  public List<StepRow> forExecution(long executionId) {
    return db.reads().withHandle(h -> forExecution(h, executionId));
  }

  public static List<StepRow> forExecution(Handle h, long executionId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM steps WHERE execution_id = :id ORDER BY step_number")
        .bind("id", executionId).map(Steps::map).list();
  }

  /** The steps of each of {@code executionIds}, in order, in one query. */
  public static Map<Long, List<StepRow>> forExecutions(Handle h, Dialect dialect,
      java.util.Collection<Long> executionIds) {
    var steps = new java.util.HashMap<Long, List<StepRow>>();
    if (executionIds.isEmpty()) return steps;
    String sql = "SELECT " + COLUMNS + " FROM steps WHERE " + dialect.idIn("execution_id") + " ORDER BY execution_id, step_number";
    return KeptStatements.with(h, sql, statement -> {
      try (ResultSet rs = statement.bind(Map.of("ids", Dialect.ids(executionIds))).prepared().executeQuery()) {
        while (rs.next()) {
          StepRow step = map(rs, null);
          steps.computeIfAbsent(step.executionId(), id -> new java.util.ArrayList<>()).add(step);
        }
      }
      return steps;
    });
  }

  /** pending → running: a new attempt starts. */
  public static boolean start(Handle h, long executionId, int step, Instant now) {
    StepStatus.PENDING.transitionTo(StepStatus.RUNNING, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = 'running', attempts = attempts + 1, started_at = :now, finished_at = NULL,
              exit_code = NULL, error = NULL
            WHERE execution_id = :id AND step_number = :step AND status = 'pending'""")
        .bind("now", now.toEpochMilli()).bind("id", executionId).bind("step", step).execute() == 1;
  }

  /** pending → succeeded for a step that runs nothing: found by its key, the one index it may use. */
  public static final String PASS = """
      UPDATE steps SET status = 'succeeded', attempts = attempts + 1, started_at = :now, finished_at = :now
      WHERE execution_id = :id AND step_number = :step AND status = 'pending'""";

  /** {@link #PASS} for a whole group of passing steps at once, on PostgreSQL. */
  public static final ManyRows PASS_MANY = new ManyRows("""
      UPDATE steps s SET status = 'succeeded', attempts = s.attempts + 1, started_at = v.at, finished_at = v.at
      FROM unnest(CAST(:now AS bigint[]), CAST(:id AS bigint[]), CAST(:step AS integer[])) AS v (at, id, step)
      WHERE s.execution_id = v.id AND s.step_number = v.step AND s.status = 'pending'
      RETURNING s.execution_id, s.step_number""", Map.of("now", "bigint", "id", "bigint", "step", "integer"),
      List.of("id", "step"));

  /**
   * pending → succeeded in one go, for steps that run nothing (noop, an approved gate): all of
   * {@code steps} in one batch; false unless every one of them was pending.
   */
  public static boolean pass(Handle h, long executionId, List<Integer> steps, Instant now) {
    var batch = h.prepareBatch(PASS);
    for (int step : steps) {
      StepStatus.PENDING.transitionTo(StepStatus.SUCCEEDED, executionId, step);
      batch.add(Map.of("now", now.toEpochMilli(), "id", executionId, "step", step));
    }
    return java.util.Arrays.stream(batch.execute()).allMatch(rows -> rows == 1);
  }

  /**
   * The same for one step, as the
   * transaction's last write to it: batched with every step passed in the same transaction
   * ({@link EventLog.Tx#defer}); {@code unlessPending} is thrown if it was not pending.
   */
  public static void passLast(EventLog.Tx tx, long executionId, int step, Instant now,
      java.util.function.Supplier<RuntimeException> unlessPending) {
    StepStatus.PENDING.transitionTo(StepStatus.SUCCEEDED, executionId, step);
    tx.defer(PASS, PASS_MANY, Map.of("now", now.toEpochMilli(), "id", executionId, "step", step), unlessPending);
  }

  /** from → a finished status, with what the attempt produced. */
  public static boolean finish(Handle h, long executionId, int step, StepStatus from, StepStatus to,
      Integer exitCode, String outputTail, String error, Instant now) {
    from.transitionTo(to, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = :to, exit_code = :exit, output_tail = COALESCE(:tail, output_tail),
              error = :error, finished_at = :now, started_at = COALESCE(started_at, :now)
            WHERE execution_id = :id AND step_number = :step AND status = :from""")
        .bind("to", to.wireName()).bind("exit", exitCode).bind("tail", outputTail).bind("error", error)
        .bind("now", now.toEpochMilli()).bind("id", executionId).bind("step", step).bind("from", from.wireName())
        .execute() == 1;
  }

  /** running → pending: the attempt will be tried again (a retry, or a re-run after a crash). */
  public static boolean requeue(Handle h, long executionId, int step, Integer exitCode, String outputTail, String error) {
    StepStatus.RUNNING.transitionTo(StepStatus.PENDING, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = 'pending', exit_code = :exit, output_tail = COALESCE(:tail, output_tail), error = :error
            WHERE execution_id = :id AND step_number = :step AND status = 'running'""")
        .bind("exit", exitCode).bind("tail", outputTail).bind("error", error)
        .bind("id", executionId).bind("step", step).execute() == 1;
  }

  /** pending → waiting_approval. */
  public static boolean awaitApproval(Handle h, long executionId, int step, Instant now, Instant expiresAt) {
    StepStatus.PENDING.transitionTo(StepStatus.WAITING_APPROVAL, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = 'waiting_approval', approval_requested_at = :now, approval_expires_at = :expires
            WHERE execution_id = :id AND step_number = :step AND status = 'pending'""")
        .bind("now", now.toEpochMilli()).bind("expires", Columns.millis(expiresAt))
        .bind("id", executionId).bind("step", step).execute() == 1;
  }

  /**
   * running → waiting_approval: a running agent step waits for a decision on one tool call. The
   * previous call's decision is cleared, so that it can never count for this one.
   */
  public static boolean awaitDecisionOnCall(Handle h, long executionId, int step, String outputTail, Instant now,
      Instant expiresAt) {
    StepStatus.RUNNING.transitionTo(StepStatus.WAITING_APPROVAL, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = 'waiting_approval', approved = NULL, approved_by = NULL, approval_comment = NULL,
              approval_requested_at = :now, approval_expires_at = :expires, output_tail = COALESCE(:tail, output_tail)
            WHERE execution_id = :id AND step_number = :step AND status = 'running'""")
        .bind("now", now.toEpochMilli()).bind("expires", Columns.millis(expiresAt)).bind("tail", outputTail).bind("id", executionId).bind("step", step)
        .execute() == 1;
  }

  /** waiting_approval → pending (approved) or the given refusal status, recording who decided. */
  public static boolean decide(Handle h, long executionId, int step, boolean approved, StepStatus refusal,
      String decidedBy, String comment, Instant now) {
    StepStatus to = approved ? StepStatus.PENDING : refusal;
    StepStatus.WAITING_APPROVAL.transitionTo(to, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = :to, approved = :approved, approved_by = :by, approval_comment = :comment,
              finished_at = CASE WHEN :approved THEN NULL ELSE :now END
            WHERE execution_id = :id AND step_number = :step AND status = 'waiting_approval'""")
        .bind("to", to.wireName()).bind("approved", approved).bind("by", decidedBy).bind("comment", comment)
        .bind("now", now.toEpochMilli()).bind("id", executionId).bind("step", step).execute() == 1;
  }

  /** waiting_approval → pending after a decision on the call the step waits on, recording that decision. */
  public static boolean resumeAfterCall(Handle h, long executionId, int step, boolean approved, String decidedBy,
      String comment) {
    StepStatus.WAITING_APPROVAL.transitionTo(StepStatus.PENDING, executionId, step);
    return h.createUpdate("""
            UPDATE steps SET status = 'pending', approved = :approved, approved_by = :by, approval_comment = :comment
            WHERE execution_id = :id AND step_number = :step AND status = 'waiting_approval'""")
        .bind("approved", approved).bind("by", decidedBy).bind("comment", comment)
        .bind("id", executionId).bind("step", step).execute() == 1;
  }

  /** Closes every step that will never run: pending ones are skipped, a waiting one gets {@code waitingTo}. */
  public static void closeRemaining(Handle h, long executionId, StepStatus waitingTo, Instant now) {
    StepStatus.WAITING_APPROVAL.transitionTo(waitingTo, executionId, 0);
    h.createUpdate("UPDATE steps SET status = 'skipped' WHERE execution_id = :id AND status = 'pending'")
        .bind("id", executionId).execute();
    h.createUpdate("""
            UPDATE steps SET status = :to, finished_at = :now
            WHERE execution_id = :id AND status = 'waiting_approval'""")
        .bind("to", waitingTo.wireName()).bind("now", now.toEpochMilli()).bind("id", executionId).execute();
  }

  /**
   * Adds a chunk of output to a step's full log, once: a chunk whose key is stored already (a write
   * retried after its answer was lost) is not stored again. Returns whether it was added.
   */
  public static boolean appendOutput(Handle h, long executionId, int step, String chunkKey, String chunk) {
    return h.createUpdate("""
            INSERT INTO step_output (execution_id, step_number, chunk_key, chunk) VALUES (:id, :step, :key, :chunk)
            ON CONFLICT DO NOTHING""")
        .bind("id", executionId).bind("step", step).bind("key", chunkKey).bind("chunk", chunk).execute() == 1;
  }

  /** The full output of a step, across its attempts. */
  public String output(long executionId, int step) {
    return db.reads().withHandle(h -> output(h, executionId, step));
  }

  /**
   * The last lines of a step's log.
   *
   * @param lines the total number of lines the log holds
   * @param lastEventId the id of the last event this view reflects: every line of a later
   *     {@code step.output} event is not in it, every earlier one is
   */
  public record LogTail(String text, int shownLines, int lines, long lastEventId) {
    public boolean cut() {
      return shownLines < lines;
    }
  }

  /**
   * The last {@code maxLines} lines of a step's log, read in one snapshot together with the newest
   * event id (a chunk is stored in the transaction of its event, and events commit in id order).
   */
  public LogTail tail(long executionId, int step, int maxLines) {
    var isolation = db.dialect() == dev.stepwise.store.Dialect.POSTGRESQL
        ? org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ
        : org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;
    return db.reads().inTransaction(isolation, h -> {
      long lastEvent = h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
      String text = output(h, executionId, step);
      List<String> all = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
      if (!all.isEmpty() && all.getLast().isEmpty()) all = all.subList(0, all.size() - 1);
      List<String> shown = all.subList(Math.max(0, all.size() - maxLines), all.size());
      return new LogTail(String.join("\n", shown), shown.size(), all.size(), lastEvent);
    });
  }

  /** The full output of a step, read inside the caller's transaction. */
  public static String output(Handle h, long executionId, int step) {
    return String.join("", h.createQuery(
            "SELECT chunk FROM step_output WHERE execution_id = :id AND step_number = :step ORDER BY id")
        .bind("id", executionId).bind("step", step).mapTo(String.class).list());
  }

  static StepRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new StepRow(
        rs.getLong("execution_id"), rs.getInt("step_number"), rs.getString("name"),
        StepType.fromWireName(rs.getString("step_type")).orElseThrow(), rs.getString("command"),
        rs.getBoolean("requires_approval"), Columns.bool(rs, "approved"), rs.getString("approved_by"),
        rs.getString("approval_comment"), Columns.instant(rs, "approval_requested_at"),
        Columns.instant(rs, "approval_expires_at"), StepStatus.fromWireName(rs.getString("status")),
        Columns.integer(rs, "exit_code"), Columns.instant(rs, "started_at"), Columns.instant(rs, "finished_at"),
        rs.getString("output_tail"), rs.getInt("attempts"), rs.getString("error"));
  }
}
