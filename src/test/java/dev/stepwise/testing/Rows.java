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

  /** The full result of each query, to prove that nothing changed between two moments. */
  public static List<List<List<Object>>> snapshot(TestDatabase database, List<String> queries) {
    var results = new java.util.ArrayList<List<List<Object>>>();
    try (Connection connection = DriverManager.getConnection(database.url())) {
      for (String query : queries) {
        var rows = new java.util.ArrayList<List<Object>>();
        try (ResultSet rs = connection.createStatement().executeQuery(query)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            var row = new java.util.ArrayList<Object>();
            for (int i = 1; i <= columns; i++) row.add(rs.getObject(i) == null ? null : rs.getObject(i).toString());
            rows.add(row);
          }
        }
        results.add(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return results;
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
