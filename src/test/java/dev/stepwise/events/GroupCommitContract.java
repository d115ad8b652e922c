package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.store.Database;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real database: work handed in at the same moment shares one transaction, a
 * failing work fails alone, and the others commit exactly once.
 */
abstract class GroupCommitContract {
  private static final int WORKS = 60;

  private StoreFixture store;
  private TestDatabase database;
  private Database db;
  private Signals signals;
  private EventLog log;
  private GroupCommit group;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    store = new StoreFixture(newDatabase(), 4);
    database = store.database;
    db = store.db;
    signals = new Signals(db, database.url()).start();
    log = new EventLog(db, Clock.systemUTC(), signals);
    group = new GroupCommit(log);
  }

  @AfterEach
  void close() {
    group.close();
    signals.close();
    store.close();
  }

  /** Hands in {@code works} while the committer is held, so that they form one group; returns their outcomes. */
  private List<Future<Object>> asOneGroup(List<EventLog.Work<Object>> works) throws Exception {
    var hold = new CountDownLatch(1);
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    Future<Object> holder = pool.submit(() -> group.transact(tx -> {
      try {
        hold.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return "held";
    }));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.queued() == 0); // the committer runs the holder
    List<Future<Object>> outcomes = new ArrayList<>();
    for (EventLog.Work<Object> work : works) outcomes.add(pool.submit(() -> group.transact(work)));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.queued() == works.size());
    hold.countDown();
    assertThat(holder.get()).isEqualTo("held");
    pool.close();
    return outcomes;
  }

  private static EventLog.Work<Object> appending(int n) {
    return tx -> {
      tx.append("test.appended", "test:" + n, Map.of("n", n));
      return n;
    };
  }

  private List<String> stored() {
    var rows = Rows.snapshot(database, List.of("SELECT topic FROM events WHERE type = 'test.appended' ORDER BY id"))
        .getFirst();
    return rows.stream().map(row -> String.valueOf(row.getFirst())).toList();
  }

  @Test
  void work_handed_in_together_commits_together_each_with_its_own_result_and_events() throws Exception {
    List<EventLog.Work<Object>> works = new ArrayList<>();
    for (int n = 0; n < WORKS; n++) works.add(appending(n));
    List<Future<Object>> outcomes = asOneGroup(works);
    for (int n = 0; n < WORKS; n++) assertThat(outcomes.get(n).get()).isEqualTo(n);
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < WORKS; n++) expected.add("test:" + n);
    assertThat(stored()).as("each event once").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void a_failing_work_fails_alone_and_the_others_commit_once() throws Exception {
    List<EventLog.Work<Object>> works = new ArrayList<>();
    for (int n = 0; n < WORKS; n++) {
      int number = n;
      if (n % 7 == 3) {
        works.add(tx -> {
          tx.append("test.appended", "test:" + number, Map.of("n", number));
          throw new IllegalStateException("work " + number + " lost its race");
        });
      } else if (n % 7 == 5) {
        works.add(tx -> {
          tx.append("test.appended", "test:" + number, Map.of("n", number));
          tx.defer("UPDATE events SET type = type WHERE id = :id", Map.of("id", -1L),
              () -> new IllegalStateException("work " + number + " missed its compare-and-set"));
          return number;
        });
      } else {
        works.add(appending(n));
      }
    }
    List<Future<Object>> outcomes = asOneGroup(works);
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < WORKS; n++) {
      if (n % 7 == 3 || n % 7 == 5) {
        int number = n;
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> outcomes.get(number).get()))
            .hasRootCauseInstanceOf(IllegalStateException.class).rootCause().hasMessageContaining("work " + n + " ");
      } else {
        assertThat(outcomes.get(n).get()).isEqualTo(n);
        expected.add("test:" + n);
      }
    }
    assertThat(stored()).as("only the works that succeeded, each once").containsExactlyInAnyOrderElementsOf(expected);
  }

  private long createdAtOfRow() {
    return Long.parseLong(String.valueOf(Rows.snapshot(database, List.of(
        "SELECT created_at FROM events WHERE topic = 'test:row'")).getFirst().getFirst().getFirst()));
  }

  @Test
  void a_deferred_write_runs_after_the_work_and_changes_its_row() throws Exception {
    log.transact(tx -> {
      tx.append("test.appended", "test:row", Map.of());
      return null;
    });
    List<EventLog.Work<Object>> works = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      works.add(tx -> {
        tx.defer("UPDATE events SET created_at = created_at + 1 WHERE topic = :topic", Map.of("topic", "test:row"),
            () -> new IllegalStateException("the row is gone"));
        return "deferred";
      });
    }
    long before = createdAtOfRow();
    for (Future<Object> outcome : asOneGroup(works)) assertThat(outcome.get()).isEqualTo("deferred");
    assertThat(createdAtOfRow() - before).as("each of the five deferred writes ran once").isEqualTo(5);
  }

  /**
   * Adds 1 to a row's {@code created_at}; on PostgreSQL its form for many adds 100 instead, so that
   * the test sees which ran.
   */
  private static final String BUMP = "UPDATE events SET created_at = created_at + 1 WHERE id = :id";
  private static final ManyRows BUMP_MANY = new ManyRows("""
      UPDATE events e SET created_at = e.created_at + 100 FROM unnest(CAST(:id AS bigint[])) AS v (id)
      WHERE e.id = v.id RETURNING e.id""", Map.of("id", "bigint"), List.of("id"));

  private long createdAt(long id) {
    return Long.parseLong(String.valueOf(Rows.snapshot(database, List.of(
        "SELECT created_at FROM events WHERE id = " + id)).getFirst().getFirst().getFirst()));
  }

  @Test
  void deferred_writes_with_a_form_for_many_run_as_one_statement_on_postgresql_and_a_row_that_did_not_match_fails_only_its_work()
      throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int n = 0; n < 6; n++) {
      int number = n;
      log.transact(tx -> {
        tx.append("test.appended", "test:many-" + number, Map.of());
        return null;
      });
      ids.add(Long.parseLong(String.valueOf(Rows.snapshot(database, List.of(
          "SELECT MAX(id) FROM events")).getFirst().getFirst().getFirst())));
    }
    List<EventLog.Work<Object>> works = new ArrayList<>();
    for (long id : ids) {
      works.add(tx -> {
        tx.defer(BUMP, BUMP_MANY, Map.of("id", id), () -> new IllegalStateException("row " + id + " is gone"));
        return id;
      });
    }
    works.add(tx -> {
      tx.defer(BUMP, BUMP_MANY, Map.of("id", -1L), () -> new IllegalStateException("row -1 is gone"));
      return -1L;
    });
    List<Long> before = ids.stream().map(this::createdAt).toList();

    List<Future<Object>> outcomes = asOneGroup(works);

    for (int n = 0; n < ids.size(); n++) assertThat(outcomes.get(n).get()).isEqualTo(ids.get(n));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> outcomes.getLast().get()))
        .hasRootCauseInstanceOf(IllegalStateException.class).rootCause().hasMessageContaining("row -1 is gone");
    // the group rolled back when row -1 failed, then each work ran again alone, in its one-row form
    for (int n = 0; n < ids.size(); n++) assertThat(createdAt(ids.get(n)) - before.get(n)).isEqualTo(1);

    works.removeLast();
    List<Long> again = ids.stream().map(this::createdAt).toList();
    for (Future<Object> outcome : asOneGroup(works)) assertThat(outcome.get()).isNotNull();
    long step = db.dialect() == dev.stepwise.store.Dialect.POSTGRESQL ? 100 : 1;
    for (int n = 0; n < ids.size(); n++) {
      assertThat(createdAt(ids.get(n)) - again.get(n)).as("one statement for the group on PostgreSQL").isEqualTo(step);
    }
  }

  @Test
  void two_deferred_writes_to_one_row_in_a_group_run_one_after_the_other_as_a_batch() throws Exception {
    log.transact(tx -> {
      tx.append("test.appended", "test:twice", Map.of());
      return null;
    });
    long id = Long.parseLong(String.valueOf(Rows.snapshot(database, List.of("SELECT MAX(id) FROM events"))
        .getFirst().getFirst().getFirst()));
    List<EventLog.Work<Object>> works = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      works.add(tx -> {
        tx.defer(BUMP, BUMP_MANY, Map.of("id", id), () -> new IllegalStateException("row " + id + " is gone"));
        return "bumped";
      });
    }
    long before = createdAt(id);

    for (Future<Object> outcome : asOneGroup(works)) assertThat(outcome.get()).isEqualTo("bumped");

    assertThat(createdAt(id) - before).as("one statement changes a row once: the batch ran both").isEqualTo(2);
  }
}
