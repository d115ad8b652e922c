package dev.stepwise.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a request that may come as JSON or, as {@code curl -d "a=1&b=2"} sends it, form-encoded.
 * A form's text values are converted to the types of the request record's fields, so both
 * encodings meet the same strict rules: unknown fields, repeated fields and wrong types are 422s.
 */
public final class FormBody {
  private static final String FORM = "application/x-www-form-urlencoded";

  private FormBody() {}

  /** The body as {@code type}, a record, from JSON or form encoding. */
  public static <T extends Record> T read(Context ctx, Class<T> type) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    if (!contentType.startsWith(FORM)) {
      if (!contentType.startsWith("application/json")) {
        throw ApiError.badRequest("send the body as JSON (Content-Type: application/json) or form-encoded "
            + "(Content-Type: " + FORM + ")");
      }
      return Json.read(ctx, type);
    }
    String body = RequestBodies.text(ctx);
    return Json.parse(Json.write(toJson(fields(body), type)), type);
  }

  private static Map<String, String> fields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isBlank()) throw ApiError.badRequest("the request body is empty; send the fields form-encoded or as JSON");
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = RequestBodies.formValue(eq < 0 ? pair : pair.substring(0, eq), "name");
      String value = eq < 0 ? "" : RequestBodies.formValue(pair.substring(eq + 1), name);
      if (fields.putIfAbsent(name, value) != null) throw ApiError.validation(name, "is given more than once");
    }
    Json.rejectNul(String.join("", fields.values()));
    return fields;
  }

  private static ObjectNode toJson(Map<String, String> fields, Class<?> type) {
    Map<String, Class<?>> types = new LinkedHashMap<>();
    Arrays.stream(type.getRecordComponents()).forEach(c -> types.put(snakeCase(c), c.getType()));
    ObjectNode node = Json.mapper().createObjectNode();
    fields.forEach((name, value) -> {
      Class<?> target = types.get(name);
      if (target == null) throw ApiError.validation(name, "unknown field");
      if (target == Integer.class || target == int.class) node.put(name, wholeNumber(name, value));
      else if (target == Boolean.class || target == boolean.class) node.put(name, bool(name, value));
      else if (target == String.class) node.put(name, value);
      else throw ApiError.validation(name, "cannot be sent form-encoded; send the request as JSON");
    });
    return node;
  }

  private static int wholeNumber(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.validation(name, "has the wrong type; expected a whole number");
    }
  }

  private static boolean bool(String name, String value) {
    return switch (value.trim().toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw ApiError.validation(name, "has the wrong type; expected true or false");
    };
  }

  private static String snakeCase(RecordComponent component) {
    return component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
