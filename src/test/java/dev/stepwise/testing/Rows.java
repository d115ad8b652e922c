package dev.stepwise.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a test database directly, to prove what a request did or did not store. */
public final class Rows {
  private Rows() {}

  /** Row counts of the given tables. */
  public static Map<String, Long> count(TestDatabase database, List<String> tables) {
    var counts = new LinkedHashMap<String, Long>();
    try (Connection connection = DriverManager.getConnection(database.url())) {
      for (String table : tables) {
        try (ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return counts;
  }

  /** Runs one statement, for tests that must put a database in an unusual state. */
  public static void execute(TestDatabase database, String sql) {
    try (Connection connection = DriverManager.getConnection(database.url())) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
