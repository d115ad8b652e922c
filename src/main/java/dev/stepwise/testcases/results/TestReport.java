package dev.stepwise.testcases.results;

import java.util.List;

/**
 * The per-test results a test command printed, as JUnit XML or TAP.
 *
 * @param format {@code junit} or {@code tap}
 * @param tests the individual results, at most {@link #MAX_TESTS} of them (the counts cover all)
 */
public record TestReport(String format, int total, int passed, int failed, int skipped, List<Result> tests) {
  static final int MAX_TESTS = 500;

  public TestReport {
    tests = List.copyOf(tests);
  }

  /** One test: {@code passed}, {@code failed} or {@code skipped}, with the failure's message. */
  public record Result(String name, String status, String message) {}

  static TestReport of(String format, List<Result> all) {
    int passed = (int) all.stream().filter(r -> r.status().equals("passed")).count();
    int failed = (int) all.stream().filter(r -> r.status().equals("failed")).count();
    int skipped = all.size() - passed - failed;
    return new TestReport(format, all.size(), passed, failed, skipped,
        all.size() > MAX_TESTS ? all.subList(0, MAX_TESTS) : all);
  }
}
