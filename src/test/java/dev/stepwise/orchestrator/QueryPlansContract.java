package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the database finds the rows of the engine's hottest statements when its statistics were taken
 * after a bulk load, while nothing ran (as {@link Database#statistics()} takes them): a
 * compare-and-set by its row's key, a claim through the index that holds only its kind of
 * candidates. With an index keyed by status or lease holder, PostgreSQL found an ending
 * execution's row by reading every running execution's entry.
 */
abstract class QueryPlansContract {
  private static final int QUEUED = 2_000;
  private static final int CLAIMED = 150;

  private StoreFixture store;
  Database db;
  List<Leases.Claim> claimed;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    store = new StoreFixture(newDatabase());
    db = store.db;
    db.jdbi().useTransaction(h -> {
      var executions = h.prepareBatch("""
          INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at,
            queued_at, run_after)
          VALUES ('plans', 'command', 'queued', 0, '{}', '[]', 'test', :at, :at, 0)""");
      for (int i = 0; i < QUEUED; i++) executions.bind("at", StoreFixture.NOW.toEpochMilli()).add();
      executions.execute();
      h.execute("""
          INSERT INTO steps (execution_id, step_number, name, step_type, requires_approval, status, attempts)
          SELECT id, 1, 'a', 'noop', FALSE, 'pending', 0 FROM executions""");
    });
    db.statistics().refresh(); // after the bulk load: every execution queued, none running
    if (db.dialect() == Dialect.SQLITE) db.jdbi().useHandle(h -> h.execute("ANALYZE"));
    claimed = db.jdbi().inTransaction(h -> Leases.claim(h, db.dialect(), "node-a", CLAIMED, Instant.now(),
        Duration.ofMinutes(5), List.of()));
    assertThat(claimed).hasSize(CLAIMED);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void an_ending_execution_is_found_by_its_key() {
    Lease lease = claimed.get(CLAIMED / 2).lease();

    String plan = plan(Leases.END, Leases.endArguments(lease, ExecutionStatus.COMPLETED, null, Instant.now(), 1));

    assertThat(reads(plan, "executions")).as(plan).containsExactly("primary key");
  }

  @Test
  void a_passing_step_is_found_by_its_key() {
    long id = claimed.get(CLAIMED / 2).lease().executionId();

    String plan = plan(Steps.PASS, Map.of("now", Instant.now().toEpochMilli(), "id", id, "step", 1));

    assertThat(reads(plan, "steps")).as(plan).containsExactly("primary key");
  }

  @Test
  void the_deadline_check_reads_only_the_deadlines_of_unfinished_executions() {
    String plan = plan(ExpireDeadlines.OVERDUE, Map.of("now", Instant.now().toEpochMilli()));

    assertThat(reads(plan, "executions")).as(plan).containsExactly("executions_deadline");
  }

  @Test
  void a_list_of_one_finished_status_reads_its_partial_index_and_a_list_of_one_kind_its_own() {
    Map<String, Object> arguments = new java.util.HashMap<>();
    arguments.put("before", Long.MAX_VALUE);
    arguments.put("limit", 51);
    arguments.put("kind", "agent");
    arguments.put("name", null);
    var failed = new dev.stepwise.executions.Executions.Filter(ExecutionStatus.FAILED, null, null);
    var agents = new dev.stepwise.executions.Executions.Filter(null, dev.stepwise.plans.ExecutionKind.AGENT, null);

    String byStatus = plan(dev.stepwise.executions.Executions.listText(failed), arguments);
    String byKind = plan(dev.stepwise.executions.Executions.listText(agents), arguments);

    assertThat(reads(byStatus, "executions")).as(byStatus).containsExactly("executions_finished_status");
    assertThat(reads(byKind, "executions")).as(byKind).containsExactly("executions_kind");
  }

  @Test
  void each_kind_of_claim_reads_the_index_of_its_own_candidates() {
    Map<String, Object> arguments = Map.of("node", "node-b", "ttl", 30_000L, "now", Instant.now().toEpochMilli(),
        "limit", 16, "available", "[]");

    assertThat(plan(Leases.takeText(db.dialect(), Leases.QUEUED), arguments)).contains("executions_queued");
    assertThat(plan(Leases.takeText(db.dialect(), Leases.PARKED), arguments)).contains("executions_parked");
  }

  /** The plan of {@code sql} with these values, one line per step of it. */
  String plan(String sql, Map<String, ?> arguments) {
    return db.jdbi().inTransaction(h -> {
      String explain = (db.dialect() == Dialect.POSTGRESQL ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
      List<String> lines = h.createQuery(explain).bindMap(arguments)
          .map((rs, ctx) -> rs.getString(db.dialect() == Dialect.POSTGRESQL ? 1 : 4)).list();
      h.rollback();
      return String.join("\n", lines);
    });
  }

  /**
   * How {@code plan} reads {@code table}: the index each of its scans goes through, or "a full scan".
   * The primary key is "primary key" on both databases.
   */
  static List<String> reads(String plan, String table) {
    var scans = java.util.regex.Pattern.compile("(?:(Seq Scan)|(?:Index|Index Only) Scan (?:Backward )?using (\\w+)) on " + table
        + "\\b|(?:SCAN|SEARCH) " + table + "\\b(?: USING (INTEGER PRIMARY KEY|(?:COVERING )?INDEX (\\w+)))?").matcher(plan);
    List<String> reads = new java.util.ArrayList<>();
    while (scans.find()) {
      String index = scans.group(2) != null ? scans.group(2) : scans.group(4);
      boolean primary = "INTEGER PRIMARY KEY".equals(scans.group(3)) || (index != null
          && (index.equals(table + "_pkey") || index.equals("sqlite_autoindex_" + table + "_1")));
      reads.add(primary ? "primary key" : index != null ? index : "a full scan");
    }
    return reads;
  }
}
