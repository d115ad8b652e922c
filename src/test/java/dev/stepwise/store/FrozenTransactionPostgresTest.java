package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.testing.TestDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * A node that freezes in the middle of a transaction (a long pause, a stopped VM) must not block
 * every other node: PostgreSQL ends the transaction and its locks are free again.
 */
class FrozenTransactionPostgresTest {
  private static final long LOCK = 7_200_001L;

  @Test
  void a_transaction_left_idle_is_ended_by_the_server_and_its_locks_are_freed() {
    try (TestDatabase database = TestDatabase.postgres(); Database db = Database.open(database.url(), 3, null)) {
      Handle frozen = db.jdbi().open();
      try {
        frozen.begin();
        frozen.createQuery("SELECT pg_advisory_xact_lock(:key)").bind("key", LOCK).mapTo(String.class).findOne();
        assertThat(tryLock(db)).as("held by the frozen transaction").isFalse();
        // the frozen node sends nothing more; the server gives up on it after IDLE_IN_TRANSACTION
        await().atMost(Database.IDLE_IN_TRANSACTION.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
            .until(() -> tryLock(db));
      } finally {
        try {
          frozen.close();
        } catch (RuntimeException expected) {
          // its connection was ended by the server
        }
      }
    }
  }

  private static boolean tryLock(Database db) {
    return db.jdbi().inTransaction(h -> h.createQuery("SELECT pg_try_advisory_xact_lock(:key)").bind("key", LOCK)
        .mapTo(Boolean.class).one());
  }
}
