package dev.stepwise.bench;

import dev.stepwise.events.EventLog;
import dev.stepwise.events.NewEvent;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The practical ceiling of a single-step drain on today's schema: the rows the engine writes for
 * each execution (the claim, the step passed, the execution ended, its four events with the data
 * the engine gives them), in plain SQL, {@value #BATCH} executions per transaction, on the same
 * database. A report states how close the engine comes to it. Runs while the engine is paused.
 */
final class CeilingBench {
  static final int BATCH = 500;

  private CeilingBench() {}

  /**
   * Executions per second of each of {@code rounds} runs, each of {@code count} copies of execution
   * {@code template}: one the engine ran, so that the rows are the engine's own (its plan, its step,
   * its events' data). A warm-up round runs first, as for the engine's drains.
   */
  static List<Double> run(Database db, int count, int rounds, long template) {
    List<NewEvent> events = db.jdbi().withHandle(h -> events(h, template));
    runOnce(db, Math.min(count, DrainBench.LARGEST_WARM_UP), template, events);
    List<Double> perSecond = new java.util.ArrayList<>(rounds);
    for (int round = 0; round < rounds; round++) perSecond.add(runOnce(db, count, template, events));
    return perSecond;
  }

  private static double runOnce(Database db, int count, long template, List<NewEvent> events) {
    long now = System.currentTimeMillis();
    db.jdbi().useTransaction(h -> queue(h, count, template, now));
    long start = System.nanoTime();
    int done = 0;
    while (done < count) done += db.jdbi().inTransaction(h -> drainBatch(h, db.dialect(), events));
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The four events of a single-step run of execution {@code id} as the engine writes them
   * ({@link ExecutionEvents}): each copy's are these with its own id.
   */
  private static List<NewEvent> events(Handle h, long id) {
    ExecutionRow row = Executions.find(h, id).orElseThrow();
    StepRow step = Steps.forExecution(h, id).getFirst();
    return List.of(ExecutionEvents.started(id, row.name(), row.kind().wireName(), "ceiling", "local"),
        ExecutionEvents.stepStarted(id, 1, step.name(), 1),
        ExecutionEvents.stepCompleted(id, step, StepStatus.SUCCEEDED, null, null, false),
        ExecutionEvents.completed(row, ExecutionStatus.COMPLETED, null, row.queuedAt().plusMillis(1)));
  }

  /** Queues {@code count} copies of execution {@code template} and of its steps. */
  private static void queue(Handle h, int count, long template, long now) {
    for (int from = 0; from < count; from += BATCH) {
      var executions = h.prepareBatch("""
          INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by, created_by_name,
            created_at, queued_at, run_after)
          SELECT 'ceiling', kind, 'queued', priority, plan_json, labels, created_by, created_by_name, :now, :now, 0
          FROM executions WHERE id = :template""");
      for (int i = from; i < Math.min(count, from + BATCH); i++) executions.bind("now", now).bind("template", template).add();
      executions.execute();
    }
    h.createUpdate("""
        INSERT INTO steps (execution_id, step_number, name, step_type, command, requires_approval, status, attempts)
        SELECT e.id, s.step_number, s.name, s.step_type, s.command, s.requires_approval, 'pending', 0
        FROM executions e JOIN steps s ON s.execution_id = :template
        WHERE e.name = 'ceiling' AND e.status = 'queued'""").bind("template", template).execute();
  }

  private static int drainBatch(Handle h, Dialect dialect, List<NewEvent> template) {
    long now = System.currentTimeMillis();
    List<Long> ids = h.createQuery("UPDATE executions SET status = 'running', lease_owner = 'ceiling', "
            + "lease_expires_at = :now + 30000, fence = fence + 1, started_at = :now "
            + "WHERE id IN (SELECT id FROM executions WHERE status = 'queued' "
            + "ORDER BY priority DESC, queued_at, id LIMIT :batch"
            + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING id")
        .bind("now", now).bind("batch", BATCH).mapTo(Long.class).list();
    if (ids.isEmpty()) throw new IllegalStateException("the ceiling's queue ran dry early");
    h.createUpdate("UPDATE steps SET status = 'succeeded', attempts = 1, started_at = :now, finished_at = :now "
            + "WHERE execution_id IN (<ids>) AND step_number = 1")
        .bind("now", now).bindList("ids", ids).execute();
    h.createUpdate("UPDATE executions SET status = 'completed', lease_owner = NULL, lease_expires_at = NULL, "
            + "finished_at = :now WHERE id IN (<ids>)")
        .bind("now", now).bindList("ids", ids).execute();
    if (dialect == Dialect.POSTGRESQL) EventLog.lockAppends(h); // as the engine does: ids in commit order
    var sql = new StringBuilder("INSERT INTO events (type, topic, created_at, data) VALUES ");
    for (int i = 0; i < ids.size() * template.size(); i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
    var insert = h.createUpdate(sql.toString());
    int position = 0;
    for (long id : ids) {
      for (NewEvent event : template) {
        long templateId = ((Number) event.data().get("execution_id")).longValue();
        insert.bind(position++, event.type()).bind(position++, ExecutionEvents.topic(id)).bind(position++, now)
            .bind(position++, event.json().replace("\"execution_id\":" + templateId + ",", "\"execution_id\":" + id + ","));
      }
    }
    insert.execute();
    return ids.size();
  }

  /** The ceiling's median, its rounds, and how close the engine's median comes to it. */
  static void print(List<Double> ceiling, double engine) {
    double median = Stats.median(ceiling);
    System.out.printf(Locale.ROOT, "ceiling (plain SQL, %d per transaction, same rows): median %,.0f executions/s "
        + "(rounds: %s); the engine reaches %.0f %% of it%n", BATCH, median,
        ceiling.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList(), 100 * engine / median);
  }
}
