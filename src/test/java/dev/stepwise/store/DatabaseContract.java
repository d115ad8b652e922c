package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.Rows;
import dev.stepwise.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's lifecycle, run against each dialect by an empty subclass. */
abstract class DatabaseContract {
  /** The newest migration this build has: the highest V<n> under src/main/resources/db/migration/sqlite. */
  private static final String LATEST = latestMigration();

  private static String latestMigration() {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration/sqlite"))) {
      return Integer.toString(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  protected TestDatabase database;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void create() {
    database = newDatabase();
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void migrates_an_empty_database_and_answers_pings() {
    try (Database db = Database.open(database.url(), 2, null)) {
      assertThat(db.dialect().displayName()).isEqualTo(database.kind());
      assertThat(db.schemaVersion()).isEqualTo(LATEST);
      assertThat(db.ping()).isPositive();
      assertThat(Rows.count(database, java.util.List.of("users", "api_tokens"))).containsValues(0L, 0L);
    }
  }

  @Test
  void opening_twice_applies_migrations_once() {
    Database.open(database.url(), 2, null).close();
    try (Database db = Database.open(database.url(), 2, null)) {
      assertThat(db.schemaVersion()).isEqualTo(LATEST);
    }
  }

  @Test
  void refuses_a_schema_migrated_by_a_newer_stepwise() {
    Database.open(database.url(), 2, null).close();
    Rows.execute(database, """
        INSERT INTO flyway_schema_history
          (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
        VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 1, TRUE)""");
    assertThatThrownBy(() -> Database.open(database.url(), 2, null))
        .isInstanceOf(SchemaTooNewException.class)
        .hasMessageContaining("schema is at version 99")
        .hasMessageContaining("knows only up to " + LATEST);
  }
}
