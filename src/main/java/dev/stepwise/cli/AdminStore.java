package dev.stepwise.cli;

import dev.stepwise.app.Config;
import dev.stepwise.auth.Passwords;
import dev.stepwise.auth.User;
import dev.stepwise.auth.Users;
import dev.stepwise.store.Database;
import dev.stepwise.web.ApiError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** The store opened directly by an admin command (no server needed). */
final class AdminStore implements AutoCloseable {
  /** What an admin command does with the store; its exit code. */
  @FunctionalInterface
  interface Work {
    int run(AdminStore store) throws Exception;
  }

  /** Opens the store with the command's settings, does the work, closes it; failures become one line and an exit code. */
  static int run(SettingsOptions settings, Work work) {
    return Console.run(() -> {
      try (var store = new AdminStore(settings.load(java.util.Map.of()))) {
        return work.run(store);
      }
    });
  }

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

  /** The user of that name; a clear error naming {@code stepwise user list} when there is none. */
  User user(String username) {
    return users.findByUsername(username.trim().toLowerCase(java.util.Locale.ROOT)).orElseThrow(() ->
        ApiError.notFound("there is no user '" + username + "'; see `stepwise user list`"));
  }

  @Override
  public void close() {
    db.close();
  }
}
