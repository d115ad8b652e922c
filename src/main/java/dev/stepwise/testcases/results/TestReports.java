package dev.stepwise.testcases.results;

import java.util.Optional;

/** Finds the per-test report in a test command's output: JUnit XML first, then TAP. */
public final class TestReports {
  private TestReports() {}

  public static Optional<TestReport> in(String output) {
    if (output == null || output.isBlank()) return Optional.empty();
    try {
      return JUnitXml.parse(output).or(() -> Tap.parse(output));
    } catch (RuntimeException e) {
      // whatever a command prints, its step's outcome is recorded: an unreadable report is no report
      return Optional.empty();
    }
  }
}
