package dev.stepwise.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reading and writing the column types both dialects share (times as epoch milliseconds). */
public final class Columns {
  private Columns() {}

  /** A nullable time column. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  public static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  public static Long longValue(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  public static Boolean bool(ResultSet rs, String column) throws SQLException {
    boolean value = rs.getBoolean(column);
    return rs.wasNull() ? null : value;
  }

  /** Epoch milliseconds of a nullable time. */
  public static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
