package dev.stepwise.auth;

import dev.stepwise.store.Database;
import dev.stepwise.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** An opened, migrated store on a fresh test database with a fixed clock. */
final class StoreFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  final TestDatabase database;
  final Database db;
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  StoreFixture(TestDatabase database) {
    this.database = database;
    this.db = Database.open(database.url(), 2, null);
  }

  @Override
  public void close() {
    db.close();
    database.close();
  }
}
