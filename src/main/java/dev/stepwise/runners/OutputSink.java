package dev.stepwise.runners;

/**
 * Where a runner sends a step's output, one line at a time. A runner reads a line whole up to
 * {@link #lineLimit()} characters; of a longer one it keeps only the start, masks it (a secret cut
 * in two must not show its first half) and hands it over with {@link #cutLine}. Must be thread-safe.
 */
public interface OutputSink {
  /** How long a line a runner reads whole; also the most of one line it holds in memory. */
  int DEFAULT_LINE_LIMIT = 64 * 1024;

  void line(String line);

  default int lineLimit() {
    return DEFAULT_LINE_LIMIT;
  }

  /**
   * A line longer than {@link #lineLimit()}.
   *
   * @param start its first {@code lineLimit()} characters, already masked
   * @param dropped how many characters of it were not kept
   */
  default void cutLine(String start, long dropped) {
    line(start + " [line cut: " + dropped + " more characters not kept]");
  }
}
