package dev.stepwise.web;

import io.javalin.http.Context;

/** Reads path parameters, answering 404 for ids that cannot exist. */
public final class PathParams {
  private PathParams() {}

  /** A positive number that fits an int (a step number); anything else is a 404. */
  public static int number(Context ctx, String name) {
    long value = id(ctx, name);
    if (value > Integer.MAX_VALUE) throw ApiError.notFound("'" + ctx.pathParam(name) + "' is not a valid number");
    return (int) value;
  }

  /** A positive id; anything else cannot name a resource, so it is a 404. */
  public static long id(Context ctx, String name) {
    String text = ctx.pathParam(name);
    try {
      long id = Long.parseLong(text);
      if (id > 0) return id;
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw ApiError.notFound("'" + text + "' is not a valid id");
  }
}
