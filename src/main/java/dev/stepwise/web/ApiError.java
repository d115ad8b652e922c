package dev.stepwise.web;

import java.time.Duration;
import java.util.Map;

/**
 * The root of every failure a request can meet. Each carries the HTTP status, the stable error
 * code of API.md §1 and optional details; {@link ErrorMapper} renders it into the envelope.
 * Features name their own failures by subclassing (e.g. {@code UserNotFound}).
 */
public class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, Object> details;

  public ApiError(int status, String code, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  public ApiError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public int status() { return status; }

  public String code() { return code; }

  public Map<String, Object> details() { return details; }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "BAD_REQUEST", message);
  }

  public static ApiError unauthenticated(String message) {
    return new ApiError(401, "UNAUTHENTICATED", message);
  }

  public static ApiError forbidden(String permission) {
    return new ApiError(403, "FORBIDDEN", "this needs the permission '" + permission
        + "', which your role does not have", Map.of("required", permission));
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "NOT_FOUND", message);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, "CONFLICT", message);
  }

  public static ApiError validation(Map<String, String> fields) {
    return new ApiError(422, "VALIDATION_FAILED",
        "some fields are invalid: " + String.join(", ", fields.keySet()), Map.of("fields", fields));
  }

  public static ApiError validation(String field, String reason) {
    return validation(Map.of(field, reason));
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "UNAVAILABLE", message);
  }

  /** 429 with the number of seconds to wait, which also goes into {@code Retry-After}. */
  public static ApiError rateLimited(String message, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new ApiError(429, "RATE_LIMITED", message, Map.of("retry_after_s", seconds));
  }
}
