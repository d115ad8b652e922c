package dev.stepwise.bench;

import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The practical ceiling of a single-step drain on today's schema: the rows the engine writes for
 * each execution (the claim, the step passed, the execution ended, its four events), in plain SQL,
 * {@value #BATCH} executions per transaction, on the same database. A report states how close the
 * engine comes to it. Runs while the engine is paused.
 */
final class CeilingBench {
  static final int BATCH = 500;

  private CeilingBench() {}

  /** Executions per second of each of {@code rounds} runs. */
  static List<Double> run(Database db, int count, int rounds) {
    List<Double> perSecond = new java.util.ArrayList<>(rounds);
    for (int round = 0; round < rounds; round++) perSecond.add(runOnce(db, count));
    return perSecond;
  }

  private static double runOnce(Database db, int count) {
    long now = System.currentTimeMillis();
    db.jdbi().useTransaction(h -> queue(h, count, now));
    long start = System.nanoTime();
    int done = 0;
    while (done < count) done += db.jdbi().inTransaction(h -> drainBatch(h, db.dialect()));
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static void queue(Handle h, int count, long now) {
    for (int from = 0; from < count; from += BATCH) {
      var executions = h.prepareBatch("""
          INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at, queued_at,
            run_after)
          VALUES ('ceiling', 'command', 'queued', 0, '{}', '[]', 'bench', :now, :now, 0)""");
      for (int i = from; i < Math.min(count, from + BATCH); i++) executions.bind("now", now).add();
      executions.execute();
    }
    h.execute("""
        INSERT INTO steps (execution_id, step_number, name, step_type, requires_approval, status, attempts)
        SELECT id, 1, 'a', 'noop', FALSE, 'pending', 0 FROM executions WHERE name = 'ceiling' AND status = 'queued'""");
  }

  private static int drainBatch(Handle h, Dialect dialect) {
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
    var sql = new StringBuilder("INSERT INTO events (type, topic, created_at, data) VALUES ");
    String[] types = {"ceiling.started", "ceiling.step_started", "ceiling.step_completed", "ceiling.completed"};
    for (int i = 0; i < ids.size() * types.length; i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
    var insert = h.createUpdate(sql.toString());
    int position = 0;
    for (long id : ids) {
      for (String type : types) {
        insert.bind(position++, type).bind(position++, "ceiling:" + id).bind(position++, now)
            .bind(position++, "{\"execution_id\":" + id + "}");
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
