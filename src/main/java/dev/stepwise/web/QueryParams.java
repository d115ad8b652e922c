package dev.stepwise.web;

import io.javalin.http.Context;

/** Query parameters read and checked: a bad value is a 422 naming the parameter. */
public final class QueryParams {
  private QueryParams() {}

  /** A whole number from {@code min} to {@code max}; {@code otherwise} when the parameter is absent or blank. */
  public static long number(Context ctx, String name, long min, long max, long otherwise) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) return otherwise;
    long value;
    try {
      value = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      value = min - 1;
    }
    new Validation().check(name, value >= min && value <= max, "must be a whole number from " + min + " to " + max)
        .orThrow();
    return value;
  }
}
