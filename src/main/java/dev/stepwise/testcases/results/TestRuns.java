package dev.stepwise.testcases.results;

import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Page;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The history of test case runs. Thread-safe. */
public final class TestRuns {
  /** How many recent runs (of one command on one revision) the flaky check looks at. */
  static final int FLAKY_WINDOW = 10;
  private static final String COLUMNS = "id, test_case_id, execution_id, step_number, status, exit_code, error, "
      + "revision, command, report, started_at, finished_at";

  private final Database db;

  public TestRuns(Database db) {
    this.db = db;
  }

  /** Newest first; {@code beforeId} 0 for the first page. */
  public Page<TestRun> forCase(long testCaseId, long beforeId, int limit) {
    List<TestRun> rows = db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM test_runs "
            + "WHERE test_case_id = :case" + (beforeId > 0 ? " AND id < :before" : "") + " ORDER BY id DESC LIMIT :limit")
        .bind("case", testCaseId).bind("before", beforeId).bind("limit", limit + 1).map(TestRuns::map).list());
    return Page.of(rows, limit, TestRun::id);
  }

  static long insert(Handle h, TestRun run) {
    return h.createQuery("""
            INSERT INTO test_runs (test_case_id, execution_id, step_number, status, exit_code, error, revision, command,
              report, started_at, finished_at)
            VALUES (:case, :execution, :step, :status, :exitCode, :error, :revision, :command, :report, :startedAt,
              :finishedAt) RETURNING id""")
        .bind("case", run.testCaseId()).bind("execution", run.executionId()).bind("step", run.stepNumber())
        .bind("status", run.status()).bind("exitCode", run.exitCode()).bind("error", run.error())
        .bind("revision", run.revision()).bind("command", run.command())
        .bind("report", run.report() == null ? null : run.report().toString())
        .bind("startedAt", run.startedAt() == null ? null : run.startedAt().toEpochMilli())
        .bind("finishedAt", run.finishedAt().toEpochMilli()).mapTo(Long.class).one();
  }

  /** Whether the case both passed and failed in its recent runs of this command on this revision. */
  static boolean flaky(Handle h, long testCaseId, String command, String revision) {
    List<String> statuses = h.createQuery("""
            SELECT status FROM test_runs
            WHERE test_case_id = :case AND COALESCE(command, '') = :command AND COALESCE(revision, '') = :revision
            ORDER BY id DESC LIMIT :window""")
        .bind("case", testCaseId).bind("command", command == null ? "" : command)
        .bind("revision", revision == null ? "" : revision).bind("window", FLAKY_WINDOW).mapTo(String.class).list();
    return statuses.contains("passed") && statuses.contains("failed");
  }

  private static TestRun map(ResultSet rs, StatementContext ctx) throws SQLException {
    try {
      String report = rs.getString("report");
      return new TestRun(rs.getLong("id"), rs.getLong("test_case_id"), rs.getLong("execution_id"),
          rs.getInt("step_number"), rs.getString("status"), Columns.integer(rs, "exit_code"), rs.getString("error"),
          rs.getString("revision"), rs.getString("command"), report == null ? null : Json.mapper().readTree(report),
          Columns.instant(rs, "started_at"), Columns.instant(rs, "finished_at"));
    } catch (IOException e) {
      throw new IllegalStateException("a stored test run holds malformed JSON", e);
    }
  }
}
