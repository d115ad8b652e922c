package dev.stepwise.store;

import java.util.Locale;

/** Case-insensitive "contains" searches in SQL, the same on SQLite and PostgreSQL. */
public final class Like {
  /** The condition for a column, with {@code parameter} bound to {@link #contains}. */
  public static String condition(String column, String parameter) {
    return "LOWER(" + column + ") LIKE :" + parameter + " ESCAPE '!'";
  }

  private Like() {}

  /** Whether a search text asks for anything. */
  public static boolean given(String text) {
    return text != null && !text.isBlank();
  }

  /** A pattern that matches {@code text} anywhere, in any case, its wildcards taken literally. */
  public static String contains(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return "%" + lower.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }
}
