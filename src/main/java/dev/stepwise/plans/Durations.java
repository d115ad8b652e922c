package dev.stepwise.plans;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Parses and formats the human durations used in plans and settings: {@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 24h}, {@code 7d}. Thread-safe (stateless).
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Returns the duration, or throws {@link IllegalArgumentException} saying what is accepted. */
  public static Duration parse(String text) {
    var matcher = FORMAT.matcher(text == null ? "" : text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; use a number and a unit: 500ms, 30s, 10m, 24h or 7d");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new AssertionError(matcher.group(2));
    };
  }

  /** The shortest exact text for a duration, e.g. {@code 90s} or {@code 15m}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0 && millis > 0) return millis / 86_400_000 + "d";
    if (millis % 3_600_000 == 0 && millis > 0) return millis / 3_600_000 + "h";
    if (millis % 60_000 == 0 && millis > 0) return millis / 60_000 + "m";
    if (millis % 1_000 == 0) return millis / 1_000 + "s";
    return millis + "ms";
  }
}
