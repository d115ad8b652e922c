package dev.stepwise.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * Recognises, anywhere in a failure's cause chain, that the database itself is in trouble (rather
 * than one statement being wrong), and says so in words that name no driver, class or statement:
 * "database unreachable at 127.0.0.1:5432", "the disk holding the database is full". Everything
 * that reports failures to people goes through here: the API's error mapper, {@code /health}, the
 * engine's records. Immutable and thread-safe.
 */
public final class StoreFailures {
  private final Dialect dialect;
  private final String location;

  /** @param location where the database is, as people know it: {@code host:port}, or "the SQLite file" */
  StoreFailures(Dialect dialect, String location) {
    this.dialect = dialect;
    this.location = location;
  }

  /** For a database URL: PostgreSQL is named by host and port (never its user or password). */
  public static StoreFailures forUrl(String url) {
    Dialect dialect = Dialect.fromUrl(url);
    if (dialect == Dialect.SQLITE) return new StoreFailures(dialect, "the SQLite file");
    var matcher = java.util.regex.Pattern.compile("jdbc:postgresql://([^/?]*)").matcher(url);
    String hosts = matcher.find() && !matcher.group(1).isBlank() ? matcher.group(1) : "localhost";
    return new StoreFailures(dialect, hosts.contains(":") || hosts.contains(",") ? hosts : hosts + ":5432");
  }

  /** Where the database is, as the reasons name it. */
  public String location() {
    return location;
  }

  /** The outage {@code failure} reveals, if it is one; any other failure (a bad statement, a bug) is empty. */
  public Optional<StoreUnavailable> outage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreUnavailable known) return Optional.of(known);
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        Optional<StoreUnavailable> found = classify(sql);
        if (found.isPresent()) return found;
      }
    }
    return Optional.empty();
  }

  private StoreUnavailable unreachable() {
    return new StoreUnavailable(StoreUnavailable.Kind.UNREACHABLE, "database unreachable at " + location);
  }

  private Optional<StoreUnavailable> classify(SQLException sql) {
    if (sql instanceof SQLiteException sqlite) return classifySqlite(sqlite);
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    if (state.equals("08006") || state.equals("08003") || state.equals("57P01") || state.equals("57P02")) {
      return Optional.of(lost());
    }
    if (state.startsWith("08")) return Optional.of(unreachable());
    if (state.equals("57P03") || state.equals("55000") && notAccepting(sql)) {
      return Optional.of(refusing("does not accept connections now"));
    }
    if (state.startsWith("28")) return Optional.of(refusing("refused the login (check the user and password)"));
    if (state.equals("3D000")) return Optional.of(refusing("has no database of the name the URL gives"));
    if (state.equals("53100")) return Optional.of(diskFull());
    if (state.equals("53300")) return Optional.of(busy("has no connection slot free (max_connections)"));
    if (state.startsWith("53")) return Optional.of(busy("is short of resources (memory)"));
    if (state.equals("40001") || state.equals("40P01")) return Optional.of(busy("had this conflict with another transaction"));
    if (state.equals("57014")) return Optional.of(busy("cancelled a statement that took too long"));
    if (state.equals("25006")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.READ_ONLY, "the database at " + location
          + " takes no writes (it is read-only: a standby after a failover?)"));
    }
    if (state.startsWith("58") || state.startsWith("XX")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.IO_ERROR, "the database at " + location
          + " could not read or write its files"));
    }
    if (sql instanceof SQLTransientConnectionException && state.isEmpty()) {
      // the pool's own timeout: with a cause it could not connect, without one every connection was busy
      if (sql.getCause() instanceof SQLException cause) return Optional.of(outage(cause).orElseGet(this::unreachable));
      return Optional.of(busy("is busy: no connection became free in time"));
    }
    return Optional.empty();
  }

  private static boolean notAccepting(SQLException sql) {
    String message = String.valueOf(sql.getMessage());
    return message.contains("not currently accepting connections") || message.contains("does not allow connections");
  }

  private Optional<StoreUnavailable> classifySqlite(SQLiteException sqlite) {
    String code = sqlite.getResultCode() == null ? "" : sqlite.getResultCode().name();
    if (code.startsWith("SQLITE_FULL")) return Optional.of(diskFull());
    if (code.startsWith("SQLITE_IOERR")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.IO_ERROR,
          "reading or writing the SQLite file failed (a disk error)"));
    }
    if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.IO_ERROR, "the SQLite file is damaged"));
    }
    if (code.startsWith("SQLITE_READONLY")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.READ_ONLY, "the SQLite file cannot be written"));
    }
    if (code.startsWith("SQLITE_CANTOPEN")) return Optional.of(unreachable());
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
      return Optional.of(new StoreUnavailable(StoreUnavailable.Kind.BUSY, "the SQLite file is busy: another writer holds it"));
    }
    return Optional.empty();
  }

  private StoreUnavailable busy(String what) {
    return new StoreUnavailable(StoreUnavailable.Kind.BUSY, "the database at " + location + " " + what);
  }

  private StoreUnavailable refusing(String what) {
    return new StoreUnavailable(StoreUnavailable.Kind.UNREACHABLE, "the database server at " + location + " " + what);
  }

  private StoreUnavailable lost() {
    return new StoreUnavailable(StoreUnavailable.Kind.CONNECTION_LOST, "the connection to the database at " + location
        + " was lost");
  }

  private StoreUnavailable diskFull() {
    return new StoreUnavailable(StoreUnavailable.Kind.DISK_FULL, dialect == Dialect.SQLITE
        ? "the disk holding the SQLite file is full" : "the disk of the database at " + location + " is full");
  }
}
