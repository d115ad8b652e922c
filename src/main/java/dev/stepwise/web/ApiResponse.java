package dev.stepwise.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the envelope of API.md §1. */
public final class ApiResponse {
  static final String WRITTEN = "stepwise.envelope-written";

  private ApiResponse() {}

  public static void ok(Context ctx, Object data) {
    write(ctx, 200, data, null);
  }

  public static void ok(Context ctx, Object data, String message) {
    write(ctx, 200, data, message);
  }

  public static void created(Context ctx, Object data) {
    write(ctx, 201, data, null);
  }

  public static void accepted(Context ctx, Object data) {
    write(ctx, 202, data, null);
  }

  public static void write(Context ctx, int status, Object data, String message) {
    var body = new LinkedHashMap<String, Object>();
    body.put("success", true);
    body.put("data", data);
    if (message != null) body.put("message", message);
    send(ctx, status, body);
  }

  public static void error(Context ctx, ApiError error) {
    if (error.details().get("retry_after_s") instanceof Long seconds) ctx.header("Retry-After", seconds.toString());
    var detail = new LinkedHashMap<String, Object>();
    detail.put("code", error.code());
    detail.put("message", error.getMessage());
    detail.put("details", error.details());
    var body = new LinkedHashMap<String, Object>();
    body.put("success", false);
    body.put("error", detail);
    send(ctx, error.status(), body);
  }

  private static void send(Context ctx, int status, Map<String, Object> body) {
    ctx.attribute(WRITTEN, true);
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
