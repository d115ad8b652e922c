package dev.stepwise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The engine's hottest statements (the claim, the batched ends, the events' insert), each of fixed
 * text with {@code :name} parameters, prepared once per connection and kept open on it, and bound
 * in plain JDBC. SQLite's driver parses and plans every statement it is given anew, and JDBI's
 * binding by name costs more than the statement itself when thousands of executions settle a
 * second. A statement that failed is closed and prepared again on its next use; those of a closed
 * connection are let go when a new connection first asks. A connection is used by one thread at a
 * time, as the pool hands it out; otherwise thread-safe.
 */
public final class KeptStatements {
  private static final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
  /** By connection identity: the drivers' connections do not override {@code equals}. */
  private static final Map<Connection, Map<String, PreparedStatement>> kept = new ConcurrentHashMap<>();

  private KeptStatements() {}

  /** What runs with a kept statement. */
  @FunctionalInterface
  public interface Use<T> {
    T run(Statement statement) throws SQLException;
  }

  /** A kept statement, its parameters cleared, bound by name. */
  public static final class Statement {
    private final PreparedStatement prepared;
    private final Parsed text;

    private Statement(PreparedStatement prepared, Parsed text) {
      this.prepared = prepared;
      this.text = text;
    }

    /** Sets every parameter of the text from {@code arguments}; a name it lacks is bound to null. */
    public Statement bind(Map<String, ?> arguments) throws SQLException {
      for (int i = 0; i < text.names().size(); i++) prepared.setObject(i + 1, arguments.get(text.names().get(i)));
      return this;
    }

    public PreparedStatement prepared() {
      return prepared;
    }
  }

  /**
   * Runs {@code use} with {@code sql} prepared on {@code h}'s connection; a failure leaves as JDBI's
   * {@link UnableToExecuteStatementException}, which the store turns into its own failures.
   */
  public static <T> T with(Handle h, String sql, Use<T> use) {
    Parsed text = parsed.computeIfAbsent(sql, Parsed::of);
    Map<String, PreparedStatement> statements;
    PreparedStatement prepared;
    try {
      Connection connection = h.getConnection().unwrap(Connection.class);
      statements = kept(connection);
      prepared = statements.get(text.jdbc());
      if (prepared == null) {
        prepared = connection.prepareStatement(text.jdbc());
        statements.put(text.jdbc(), prepared);
      } else {
        prepared.clearParameters();
        prepared.clearBatch();
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
    try {
      return use.run(new Statement(prepared, text));
    } catch (SQLException | RuntimeException e) {
      statements.remove(text.jdbc());
      try {
        prepared.close();
      } catch (SQLException ignored) {
        // it goes anyway
      }
      if (e instanceof SQLException failure) throw new UnableToExecuteStatementException(failure, null);
      throw (RuntimeException) e;
    }
  }

  private static Map<String, PreparedStatement> kept(Connection connection) {
    Map<String, PreparedStatement> statements = kept.get(connection);
    if (statements != null) return statements;
    kept.keySet().removeIf(KeptStatements::closed);
    return kept.computeIfAbsent(connection, c -> new ConcurrentHashMap<>());
  }

  /** Whether statements are kept for {@code connection} (the driver's own, unwrapped). */
  static boolean keeps(Connection connection) {
    return kept.containsKey(connection);
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** A text with {@code :name} parameters as JDBC's {@code ?} text and the names in order. */
  record Parsed(String jdbc, List<String> names) {
    static Parsed of(String sql) {
      var jdbc = new StringBuilder(sql.length());
      var names = new ArrayList<String>();
      for (int i = 0; i < sql.length(); i++) {
        char c = sql.charAt(i);
        if (c == '\'') {
          // a literal, quotes doubled inside: copied as it is
          int end = i + 1;
          while (end < sql.length() && !(sql.charAt(end) == '\'' && (end + 1 >= sql.length() || sql.charAt(end + 1) != '\''))) {
            end += sql.charAt(end) == '\'' ? 2 : 1;
          }
          jdbc.append(sql, i, Math.min(end + 1, sql.length()));
          i = end;
        } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
          jdbc.append("::"); // a PostgreSQL cast
          i++;
        } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
          int end = i + 1;
          while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) end++;
          names.add(sql.substring(i + 1, end));
          jdbc.append('?');
          i = end - 1;
        } else {
          jdbc.append(c);
        }
      }
      return new Parsed(jdbc.toString(), List.copyOf(names));
    }
  }
}
