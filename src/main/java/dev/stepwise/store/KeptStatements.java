package dev.stepwise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The engine's hottest statements (the claim, the batched ends, the events' insert), each of fixed
 * text with {@code :name} parameters, prepared once per connection and kept open on it, and bound
 * in plain JDBC. SQLite's driver parses and plans every statement it is given anew, and JDBI's
 * binding by name costs more than the statement itself when thousands of executions settle a
 * second. A statement that failed is closed and prepared again on its next use; those of a closed
 * connection are let go when a new connection first asks, and all when the database closes.
 *
 * <p>Kept per {@link Database} as JDBI configuration: every handle's copy shares its statements. A
 * connection is used by one thread at a time, as the pool hands it out; otherwise thread-safe.
 */
public final class KeptStatements implements JdbiConfig<KeptStatements> {
  private final Map<String, Parsed> parsed;
  /** By connection identity: the drivers' connections do not override {@code equals}. */
  private final Map<Connection, Map<String, PreparedStatement>> kept;

  /** JDBI makes the first, once per {@link org.jdbi.v3.core.Jdbi}. */
  public KeptStatements() {
    this.parsed = new ConcurrentHashMap<>();
    this.kept = new ConcurrentHashMap<>();
  }

  private KeptStatements(KeptStatements shared) {
    this.parsed = shared.parsed;
    this.kept = shared.kept;
  }

  @Override
  public KeptStatements createCopy() {
    return new KeptStatements(this);
  }

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

    /** Sets every parameter of the text from {@code arguments}, which must name each (null is a value). */
    public Statement bind(Map<String, ?> arguments) throws SQLException {
      for (int i = 0; i < text.names().size(); i++) {
        String name = text.names().get(i);
        if (!arguments.containsKey(name)) {
          throw new IllegalArgumentException("no value for :" + name + " in " + text.jdbc());
        }
        prepared.setObject(i + 1, arguments.get(name));
      }
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
    return h.getConfig(KeptStatements.class).run(h, sql, use);
  }

  private <T> T run(Handle h, String sql, Use<T> use) {
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
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
    try {
      prepared.clearParameters();
      prepared.clearBatch();
      return use.run(new Statement(prepared, text));
    } catch (SQLException | RuntimeException e) {
      statements.remove(text.jdbc());
      closeQuietly(prepared);
      if (e instanceof SQLException failure) throw new UnableToExecuteStatementException(failure, null);
      throw (RuntimeException) e;
    }
  }

  private Map<String, PreparedStatement> kept(Connection connection) {
    Map<String, PreparedStatement> statements = kept.get(connection);
    if (statements != null) return statements;
    kept.keySet().removeIf(KeptStatements::closed);
    return kept.computeIfAbsent(connection, c -> new ConcurrentHashMap<>());
  }

  /** Whether statements are kept for {@code connection} (the driver's own, unwrapped). */
  boolean keeps(Connection connection) {
    return kept.containsKey(connection);
  }

  /** Closes every kept statement: the database closes. */
  void clear() {
    kept.values().forEach(statements -> statements.values().forEach(KeptStatements::closeQuietly));
    kept.clear();
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // it goes anyway
    }
  }

  /** A text with {@code :name} parameters as JDBC's {@code ?} text and the names in order. */
  record Parsed(String jdbc, List<String> names) {
    /**
     * Literals ({@code '…'}) and quoted names ({@code "…"}) are copied as they are, and PostgreSQL's
     * {@code ::} casts. A text that mixes JDBC's {@code ?} with names, or has a comment, is refused:
     * its parameters could not be told apart.
     */
    static Parsed of(String sql) {
      var jdbc = new StringBuilder(sql.length());
      var names = new ArrayList<String>();
      boolean questionMarks = false;
      for (int i = 0; i < sql.length(); i++) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
          int end = closing(sql, i, c);
          jdbc.append(sql, i, end + 1);
          i = end;
        } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-' || c == '/' && i + 1 < sql.length()
            && sql.charAt(i + 1) == '*') {
          throw new IllegalArgumentException("a kept statement has no comments: " + sql);
        } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
          jdbc.append("::");
          i++;
        } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
          int end = i + 1;
          while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) end++;
          names.add(sql.substring(i + 1, end));
          jdbc.append('?');
          i = end - 1;
        } else {
          questionMarks |= c == '?';
          jdbc.append(c);
        }
      }
      if (questionMarks && !names.isEmpty()) {
        throw new IllegalArgumentException("a kept statement has either ? or :name parameters, not both: " + sql);
      }
      return new Parsed(jdbc.toString(), List.copyOf(names));
    }

    /** Where the literal or quoted name opened at {@code open} ends; a doubled quote stays inside. */
    private static int closing(String sql, int open, char quote) {
      int i = open + 1;
      while (i < sql.length()) {
        if (sql.charAt(i) == quote) {
          if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) i += 2;
          else return i;
        } else {
          i++;
        }
      }
      throw new IllegalArgumentException("a quote is not closed: " + sql);
    }
  }
}
