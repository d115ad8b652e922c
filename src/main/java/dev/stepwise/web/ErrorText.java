package dev.stepwise.web;

import java.util.regex.Pattern;

/**
 * A failure described for people: one line, in words, naming no Java class. What the failing
 * library said is kept, less its class names ("java.net.ConnectException: Connection refused"
 * becomes "Connection refused"); a failure that says nothing else is named by what it means.
 * Thread-safe (stateless).
 */
public final class ErrorText {
  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Failure)?\\b:?\\s*");
  private static final int MAX = 300;

  private ErrorText() {}

  public static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String known = known(t);
      if (known != null) return known;
      String message = clean(t.getMessage());
      if (!message.isEmpty()) return message;
    }
    return "an unexpected error; the server log has the details";
  }

  private static String known(Throwable t) {
    return switch (t) {
      case java.net.ConnectException e -> "the connection was refused";
      case java.net.UnknownHostException e -> "the host " + clean(e.getMessage()) + " is unknown";
      case java.net.http.HttpTimeoutException e -> "no answer in time";
      case java.net.SocketTimeoutException e -> "no answer in time";
      case java.nio.channels.ClosedChannelException e -> "the connection was closed";
      default -> null;
    };
  }

  private static String clean(String message) {
    if (message == null) return "";
    String line = CLASS_NAME.matcher(message.lines().findFirst().orElse("")).replaceAll("").strip();
    return line.length() > MAX ? line.substring(0, MAX) + "…" : line;
  }
}
