package dev.stepwise.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of one request so that the caller learns all of them at once.
 * Not thread-safe: one per request.
 */
public final class Validation {
  private final Map<String, String> problems = new LinkedHashMap<>();

  public Validation require(String field, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) fail(field, "is required");
    return this;
  }

  public Validation length(String field, String value, int min, int max) {
    if (value != null && (value.length() < min || value.length() > max)) {
      fail(field, "must be " + min + " to " + max + " characters long");
    }
    return this;
  }

  public Validation matches(String field, String value, Pattern pattern, String reason) {
    if (value != null && !pattern.matcher(value).matches()) fail(field, reason);
    return this;
  }

  public Validation range(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      fail(field, "must be from " + min + " to " + max);
    }
    return this;
  }

  public Validation check(String field, boolean ok, String reason) {
    if (!ok) fail(field, reason);
    return this;
  }

  public Validation fail(String field, String reason) {
    problems.putIfAbsent(field, reason);
    return this;
  }

  /** Throws a 422 naming every invalid field, if there is any. */
  public void orThrow() {
    if (!problems.isEmpty()) throw ApiError.validation(problems);
  }
}
