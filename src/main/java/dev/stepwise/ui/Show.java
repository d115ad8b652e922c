package dev.stepwise.ui;

import dev.stepwise.executions.Executions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;

/** How the dashboard writes times, durations and statuses. Stateless. */
public final class Show {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private Show() {}

  public static String time(Instant instant) {
    return instant == null ? "—" : TIME.format(instant);
  }

  /** ISO-8601, for {@code <time datetime>}. */
  public static String iso(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  /** How long from {@code start} to {@code end}, or to {@code now} while it runs, e.g. {@code 1m 05s}. */
  public static String duration(Instant start, Instant end, Instant now) {
    if (start == null) return "—";
    return duration(Duration.between(start, end == null ? now : end));
  }

  public static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) return millis + " ms";
    long seconds = millis / 1000;
    if (seconds < 60) return String.format("%.1f s", millis / 1000.0);
    if (seconds < 3600) return String.format("%dm %02ds", seconds / 60, seconds % 60);
    return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  public static String millis(Long millis) {
    return millis == null ? "—" : duration(Duration.ofMillis(millis));
  }

  /** A message as a sentence: a capital first letter and a full stop. */
  public static String sentence(String message) {
    if (message == null || message.isEmpty()) return "";
    String text = Character.toUpperCase(message.charAt(0)) + message.substring(1);
    return text.endsWith(".") ? text : text + ".";
  }

  /** A status as the CSS class of its badge ({@code waiting_approval} → {@code status-waiting_approval}). */
  /** "1 file", "2 files". */
  public static String files(int count) {
    return count + (count == 1 ? " file" : " files");
  }

  public static String badge(Object status) {
    return "status status-" + status;
  }

  /** The query string of an executions list with {@code filter}, at {@code cursor} (or the newest page). */
  public static String listQuery(Executions.Filter filter, String cursor) {
    var parts = new ArrayList<String>();
    if (filter.status() != null) parts.add("status=" + filter.status().wireName());
    if (filter.kind() != null) parts.add("kind=" + filter.kind().wireName());
    if (filter.name() != null && !filter.name().isBlank()) parts.add("name=" + encode(filter.name()));
    if (cursor != null) parts.add("cursor=" + encode(cursor));
    return String.join("&", parts);
  }

  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
