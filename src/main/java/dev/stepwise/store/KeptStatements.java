package dev.stepwise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The engine's hottest statements (the claim, the batched ends, the events' insert), each of fixed
 * text with {@code :name} parameters (parsed as JDBI parses every statement), prepared once per
 * connection and kept open on it, and bound in plain JDBC. SQLite's driver parses and plans every statement it is given anew, and JDBI's
 * binding by name costs more than the statement itself when thousands of executions settle a
 * second. A statement that failed is closed and prepared again on its next use; those of a closed
 * connection are let go when a new connection first asks, and all when the database closes.
 *
 * <p>Kept per {@link Database} as JDBI configuration: every handle's copy shares its statements. A
 * connection is used by one thread at a time, as the pool hands it out; otherwise thread-safe.
 */
public final class KeptStatements implements JdbiConfig<KeptStatements> {
  /** By connection identity: the drivers' connections do not override {@code equals}. */
  private final Map<Connection, Map<String, PreparedStatement>> kept;

  /** JDBI makes the first, once per {@link org.jdbi.v3.core.Jdbi}. */
  public KeptStatements() {
    this.kept = new ConcurrentHashMap<>();
  }

  private KeptStatements(KeptStatements shared) {
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
    private final ParsedSql text;

    private Statement(PreparedStatement prepared, ParsedSql text) {
      this.prepared = prepared;
      this.text = text;
    }

    /** Sets every {@code :name} of the text from {@code arguments}, which must name each (null is a value). */
    public Statement bind(Map<String, ?> arguments) throws SQLException {
      if (text.getParameters().isPositional()) {
        throw new IllegalStateException("a text with ? parameters is bound by position: " + text.getSql());
      }
      List<String> names = text.getParameters().getParameterNames();
      for (int i = 0; i < names.size(); i++) {
        if (!arguments.containsKey(names.get(i))) {
          throw new IllegalArgumentException("no value for :" + names.get(i) + " in " + text.getSql());
        }
        prepared.setObject(i + 1, arguments.get(names.get(i)));
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
    // the same parser (and its cache) as every JDBI statement of the store: the same :name rules
    ParsedSql text = h.getConfig(SqlStatements.class).getSqlParser().parse(sql, null);
    Map<String, PreparedStatement> statements;
    PreparedStatement prepared;
    try {
      Connection connection = h.getConnection().unwrap(Connection.class);
      statements = kept(connection);
      prepared = statements.get(text.getSql());
      if (prepared == null) {
        prepared = connection.prepareStatement(text.getSql());
        statements.put(text.getSql(), prepared);
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
    try {
      prepared.clearParameters();
      prepared.clearBatch();
      return use.run(new Statement(prepared, text));
    } catch (SQLException | RuntimeException e) {
      statements.remove(text.getSql());
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
}
