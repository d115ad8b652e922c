package dev.stepwise.testing;

import dev.stepwise.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** An opened, migrated store on a fresh test database with a fixed clock; close drops both. */
public final class StoreFixture implements AutoCloseable {
  public static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  public final TestDatabase database;
  public final Database db;
  public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  public StoreFixture(TestDatabase database) {
    this(database, 2);
  }

  /** With a pool of {@code connections}, for tests that write from several threads at once. */
  public StoreFixture(TestDatabase database, int connections) {
    this.database = database;
    this.db = Database.open(database.url(), connections, null);
  }

  @Override
  public void close() {
    db.close();
    database.close();
  }
}
