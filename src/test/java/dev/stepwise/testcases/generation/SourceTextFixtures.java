package dev.stepwise.testcases.generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Reads the source files under the test resources. */
final class SourceTextFixtures {
  private SourceTextFixtures() {}

  static String read(String relative) {
    try {
      return Files.readString(AnalyserTest.SOURCES.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
