package dev.stepwise.cli;

import dev.stepwise.app.Config;
import dev.stepwise.auth.Passwords;
import dev.stepwise.auth.Users;
import dev.stepwise.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** The store opened directly by an admin command (no server needed). */
final class AdminStore implements AutoCloseable {
  final Config config;
  final Database db;
  final Users users;
  final Passwords passwords = new Passwords();
  final Clock clock = Clock.systemUTC();

  AdminStore(Config config) {
    this.config = config;
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
    this.db = Database.open(config.databaseUrl(), 2, null);
    this.users = new Users(db, clock);
  }

  @Override
  public void close() {
    db.close();
  }
}
