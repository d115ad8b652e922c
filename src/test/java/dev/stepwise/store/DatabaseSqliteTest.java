package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class DatabaseSqliteTest extends DatabaseContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }

  @Test
  void sqlite_runs_in_wal_mode_with_read_only_readers() {
    try (Database db = Database.open(database.url(), 2, null)) {
      String mode = db.jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
      assertThat(mode).isEqualToIgnoringCase("wal");
      // a write through a reader is refused by SQLite itself, and said in words
      assertThatThrownBy(() -> db.reads().useHandle(h -> h.execute("DELETE FROM users")))
          .isInstanceOfSatisfying(StoreUnavailable.class,
              refused -> assertThat(refused.kind()).isEqualTo(StoreUnavailable.Kind.READ_ONLY))
          .hasMessage("the SQLite file cannot be written");
    }
  }
}
