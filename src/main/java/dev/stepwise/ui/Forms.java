package dev.stepwise.ui;

import dev.stepwise.web.ApiError;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** Reading the dashboard's forms. Stateless. */
final class Forms {
  private Forms() {}

  /** A field as sent, or {@code null} when absent or blank. */
  static String optional(Context ctx, String field) {
    return blankToNull(ctx.formParam(field));
  }

  /** A query parameter, or {@code null} when absent or blank. */
  static String optionalQuery(Context ctx, String parameter) {
    return blankToNull(ctx.queryParam(parameter));
  }

  static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  /** A yes/no field: exactly {@code true} or {@code false}, as the API takes it; anything else is a 422. */
  static boolean decision(Context ctx, String field) {
    String value = ctx.formParam(field);
    if ("true".equals(value)) return true;
    if ("false".equals(value)) return false;
    throw ApiError.validation(field, "must be true or false");
  }

  /** Whether the request asks only for the part of a page that a live region re-renders. */
  static boolean fragment(Context ctx) {
    return "fragment".equals(ctx.queryParam("part"));
  }

  /** What a form sent, to fill it in again after a mistake. */
  static Map<String, String> values(Context ctx) {
    var values = new HashMap<String, String>();
    ctx.formParamMap().forEach((name, list) -> {
      if (!list.isEmpty()) values.put(name, list.getFirst());
    });
    return values;
  }

  /** Where a form leads afterwards: a path on this site only, never another site; {@code /} otherwise. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.startsWith("/login") || next.chars().anyMatch(c -> c < 0x20)) {
      return "/";
    }
    return next;
  }

  /** A validation failure's reasons by field, for the form to show beside each field. */
  @SuppressWarnings("unchecked")
  static Map<String, String> errors(ApiError error) {
    if (error == null) return Map.of();
    Object fields = error.details().get("fields");
    return fields instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of("form", error.getMessage());
  }
}
