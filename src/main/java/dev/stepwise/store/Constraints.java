package dev.stepwise.store;

import java.sql.SQLException;

/** Recognises constraint violations across both dialects. */
public final class Constraints {
  private Constraints() {}

  /** Whether {@code error} (or a cause) is a UNIQUE violation on SQLite or PostgreSQL. */
  public static boolean isUniqueViolation(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        if ("23505".equals(sql.getSQLState())) return true;
        String message = String.valueOf(sql.getMessage());
        if (message.contains("SQLITE_CONSTRAINT_UNIQUE") || message.contains("UNIQUE constraint failed")) return true;
      }
    }
    return false;
  }
}
