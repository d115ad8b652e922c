package dev.stepwise.plans;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of one JSON/YAML object strictly: each getter checks the type and range and
 * records a problem under the field's full path (e.g. {@code steps[2].timeout}); {@link #finish}
 * reports every field nobody asked for as unknown, suggesting the nearest known name. Not
 * thread-safe: one per object.
 */
public final class FieldReader {
  private final JsonNode node;
  private final String path;
  private final Map<String, String> problems;
  private final Set<String> known = new HashSet<>();

  public FieldReader(JsonNode node, String path, Map<String, String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public void problem(String field, String reason) {
    problems.putIfAbsent(path(field), reason);
  }

  private JsonNode get(String field) {
    known.add(field);
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  public boolean has(String field) {
    known.add(field);
    return get(field) != null;
  }

  public String string(String field, boolean required, int maxLength) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) problem(field, "is required");
      return null;
    }
    if (!value.isTextual()) {
      problem(field, "must be a string");
      return null;
    }
    String text = value.asText();
    if (required && text.isBlank()) problem(field, "must not be empty");
    if (text.length() > maxLength) problem(field, "must be at most " + maxLength + " characters");
    return text;
  }

  public int integer(String field, int min, int max, int otherwise) {
    JsonNode value = get(field);
    if (value == null) return otherwise;
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      problem(field, "must be a whole number from " + min + " to " + max);
      return otherwise;
    }
    return value.asInt();
  }

  public boolean bool(String field, boolean otherwise) {
    JsonNode value = get(field);
    if (value == null) return otherwise;
    if (!value.isBoolean()) {
      problem(field, "must be true or false");
      return otherwise;
    }
    return value.asBoolean();
  }

  /** A duration such as {@code 30s}; a bare number is not accepted (seconds or milliseconds?). */
  public Duration duration(String field, Duration min, Duration max) {
    JsonNode value = get(field);
    if (value == null) return null;
    if (!value.isTextual()) {
      problem(field, "must be a duration such as 30s, 10m or 24h");
      return null;
    }
    try {
      Duration duration = Durations.parse(value.asText());
      if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
        problem(field, "must be between " + Durations.format(min) + " and " + Durations.format(max));
        return null;
      }
      return duration;
    } catch (IllegalArgumentException e) {
      problem(field, e.getMessage());
      return null;
    }
  }

  /** A nested object, or null (with a problem recorded when it is present but not an object). */
  public JsonNode object(String field) {
    JsonNode value = get(field);
    if (value == null) return null;
    if (!value.isObject()) {
      problem(field, "must be a mapping");
      return null;
    }
    return value;
  }

  public JsonNode array(String field) {
    JsonNode value = get(field);
    if (value == null) return null;
    if (!value.isArray()) {
      problem(field, "must be a list");
      return null;
    }
    return value;
  }

  public List<String> strings(String field, int maxItems, int maxLength) {
    JsonNode array = array(field);
    List<String> items = new ArrayList<>();
    if (array == null) return items;
    if (array.size() > maxItems) problem(field, "must have at most " + maxItems + " items");
    for (int i = 0; i < array.size() && i < maxItems; i++) {
      JsonNode item = array.get(i);
      if (!item.isTextual() || item.asText().length() > maxLength) {
        problems.putIfAbsent(path(field) + "[" + i + "]", "must be a string of at most " + maxLength + " characters");
      } else {
        items.add(item.asText());
      }
    }
    return items;
  }

  /** Reports every field that no getter asked for. */
  public void finish() {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String suggestion = nearest(name);
        problems.putIfAbsent(path(name), "unknown field" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
      }
    }
  }

  private String nearest(String name) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : known) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      previous = current;
    }
    return previous[b.length()];
  }
}
