package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PostgreSQL's statistics are taken again as the queue's table grows; SQLite needs none. */
class PlannerStatisticsTest {
  @Test
  void a_table_that_doubled_since_the_last_refresh_is_analyzed_again() throws Exception {
    try (TestDatabase database = TestDatabase.postgres(); Database db = Database.open(database.url(), 2, null)) {
      assertThat(rows(db)).isZero(); // analyzed after the migration, while empty
      queue(db, 700);

      assertThat(db.statistics().queued(PlannerStatistics.FIRST_GROWTH - 1)).isFalse();
      assertThat(db.statistics().queued(1)).isTrue();
      awaitRows(db, 700);

      queue(db, 600);
      assertThat(db.statistics().queued(1)).as("600 queued on a table of 700").isFalse();
      assertThat(db.statistics().queued(699)).isTrue();
      awaitRows(db, 1300);
    }
  }

  @Test
  void sqlite_is_never_analyzed() throws Exception {
    try (TestDatabase database = TestDatabase.sqlite(); Database db = Database.open(database.url(), 2, null)) {
      assertThat(db.statistics().queued(10_000)).isFalse();
    }
  }

  private static void queue(Database db, int count) {
    db.jdbi().useTransaction(h -> {
      var batch = h.prepareBatch("""
          INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at,
            queued_at, run_after)
          VALUES (:name, 'command', 'queued', 0, '{}', '[]', 'test', 1, 1, 0)""");
      for (int i = 0; i < count; i++) batch.bind("name", "grow-" + i).add();
      batch.execute();
    });
  }

  private static long rows(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery(
        "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = CAST('executions' AS regclass)").mapTo(Long.class).one());
  }

  private static void awaitRows(Database db, long expected) throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (rows(db) != expected && Instant.now().isBefore(until)) Thread.sleep(20);
    assertThat(rows(db)).isEqualTo(expected);
  }
}
