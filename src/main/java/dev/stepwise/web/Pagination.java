package dev.stepwise.web;

import io.javalin.http.Context;

/** The {@code limit} and {@code cursor} of a list request (API.md §1). */
public record Pagination(long afterId, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static Pagination from(Context ctx) {
    var validation = new Validation();
    int limit = DEFAULT_LIMIT;
    long after = 0;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      validation.range("limit", limit, 1, MAX_LIMIT);
    }
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.isEmpty()) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        after = -1;
      }
      validation.check("cursor", after >= 0, "must be a next_cursor value from a previous page");
    }
    validation.orThrow();
    return new Pagination(after, limit);
  }
}
