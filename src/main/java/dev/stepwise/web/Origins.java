package dev.stepwise.web;

import java.util.Locale;

/** Browser origins as browsers compare them. Thread-safe (stateless). */
public final class Origins {
  private Origins() {}

  /** Lower case, no default port, no trailing slash: {@code HTTPS://Ops.Example.com:443/} → {@code https://ops.example.com}. */
  public static String normalize(String origin) {
    String lower = origin.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    if (lower.startsWith("http://") && lower.endsWith(":80")) return lower.substring(0, lower.length() - 3);
    if (lower.startsWith("https://") && lower.endsWith(":443")) return lower.substring(0, lower.length() - 4);
    return lower;
  }
}
