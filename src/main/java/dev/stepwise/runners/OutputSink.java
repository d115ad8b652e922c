package dev.stepwise.runners;

/** Where a runner sends a step's output, one line at a time. Must be thread-safe. */
public interface OutputSink {
  void line(String line);
}
