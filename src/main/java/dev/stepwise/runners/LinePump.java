package dev.stepwise.runners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a command's output into an {@link OutputSink} line by line, whichever machine it runs on.
 * Thread-safe (stateless).
 */
public final class LinePump {
  private LinePump() {}

  /**
   * Reads lines whole up to the sink's limit; of a longer line only the start is kept (masked, so
   * that a secret cut in two shows nothing) and the rest is counted, never held in memory. A
   * carriage return is dropped (a terminal ends lines with CR LF). Returns at the end of the
   * stream, or when it is closed under the reader.
   */
  public static void pump(InputStream stream, OutputSink output, Secrets secrets) {
    int limit = output.lineLimit();
    try (var in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      var line = new StringBuilder();
      long dropped = 0;
      for (int c; (c = in.read()) != -1; ) {
        if (c == '\n') {
          emit(output, secrets, line, dropped);
          line.setLength(0);
          dropped = 0;
        } else if (line.length() < limit) {
          if (c != '\r') line.append((char) c);
        } else {
          dropped++;
        }
      }
      if (!line.isEmpty() || dropped > 0) emit(output, secrets, line, dropped);
    } catch (IOException ignored) {
      // the command was stopped and its stream closed
    }
  }

  private static void emit(OutputSink output, Secrets secrets, StringBuilder line, long dropped) {
    if (dropped == 0) output.line(line.toString());
    else output.cutLine(secrets.maskCut(line.toString()), dropped);
  }
}
