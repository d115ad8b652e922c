package dev.stepwise.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * A fresh, empty database for one test class: a new SQLite file, or a new database on the local
 * PostgreSQL server (dropped on close). Store and API suites run against both.
 */
public sealed interface TestDatabase extends AutoCloseable {
  String url();

  String kind();

  @Override
  void close();

  static TestDatabase sqlite() {
    try {
      Path dir = Files.createTempDirectory("stepwise-sqlite-");
      return new Sqlite("jdbc:sqlite:" + dir.resolve("stepwise.db"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static TestDatabase postgres() {
    String name = "stepwise_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection admin = DriverManager.getConnection(Postgres.ADMIN_URL)) {
      admin.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is not reachable at " + Postgres.SERVER
          + " (user postgres): start it, e.g. `pg_ctlcluster <version> main start`, or run `bash .ci/run`", e);
    }
    return new Postgres(name);
  }

  /** An SQLite file in the given directory (a small disk, say). */
  static TestDatabase sqliteIn(java.nio.file.Path dir) {
    return new Sqlite("jdbc:sqlite:" + dir.resolve("stepwise.db"));
  }

  /** A new PostgreSQL database whose tables live in a tablespace at {@code location} (a small disk, say). */
  static TestDatabase postgresOn(java.nio.file.Path location) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String name = "stepwise_test_" + suffix;
    String tablespace = "stepwise_space_" + suffix;
    try (Connection admin = DriverManager.getConnection(Postgres.ADMIN_URL)) {
      admin.createStatement().execute("CREATE TABLESPACE " + tablespace + " LOCATION '" + location + "'");
      admin.createStatement().execute("CREATE DATABASE " + name + " TABLESPACE " + tablespace);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a database in a tablespace at " + location, e);
    }
    return new PostgresInTablespace(new Postgres(name), tablespace);
  }

  /** A database on the local PostgreSQL server whose tables live in their own tablespace. */
  record PostgresInTablespace(Postgres database, String tablespace) implements TestDatabase {
    public String url() { return database.url(); }

    public String kind() { return "postgresql"; }

    public void close() {
      database.close();
      try (Connection admin = DriverManager.getConnection(Postgres.ADMIN_URL)) {
        admin.createStatement().execute("DROP TABLESPACE IF EXISTS " + tablespace);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot drop tablespace " + tablespace, e);
      }
    }
  }

  /** An SQLite file in its own temp dir. */
  record Sqlite(String url) implements TestDatabase {
    public String kind() { return "sqlite"; }

    public void close() {}
  }

  /** A database created on the local PostgreSQL server. */
  record Postgres(String name) implements TestDatabase {
    static final String SERVER = System.getProperty("stepwise.test.pg", "127.0.0.1:5432");
    static final String ADMIN_URL = "jdbc:postgresql://" + SERVER + "/postgres?user=postgres";

    public String url() {
      return "jdbc:postgresql://" + SERVER + "/" + name + "?user=postgres";
    }

    public String kind() { return "postgresql"; }

    /** Attempts at dropping the database, a second apart, before the test fails for it. */
    private static final int DROP_ATTEMPTS = 5;

    /**
     * Drops the database, ending whatever is still connected to it. The server waits only 5 s for
     * the sessions it ends to exit, and a busy or restarting server can refuse the drop's own
     * connection; each such refusal is printed with the server's reason and tried again.
     */
    public void close() {
      SQLException last = null;
      for (int attempt = 1; attempt <= DROP_ATTEMPTS; attempt++) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL)) {
          admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
          return;
        } catch (SQLException e) {
          last = e;
          System.err.printf("dropping test database %s, attempt %d of %d: %s (SQLSTATE %s)%n",
              name, attempt, DROP_ATTEMPTS, e.getMessage(), e.getSQLState());
          if (attempt < DROP_ATTEMPTS) pause(Duration.ofSeconds(1));
        }
      }
      throw new IllegalStateException("cannot drop test database " + name + ": " + last.getMessage(), last);
    }

    private static void pause(Duration duration) {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
