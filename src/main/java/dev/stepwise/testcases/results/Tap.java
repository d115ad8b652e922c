package dev.stepwise.testcases.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TAP (the Test Anything Protocol) from a command's output: {@code ok}/{@code not ok} lines,
 * {@code # SKIP} and {@code # TODO} directives, the {@code 1..N} plan and {@code Bail out!}. Output
 * counts as TAP only with a plan or a {@code TAP version} line, so that a stray "ok" is not a test.
 * Tests the plan announces but that never report count as failed.
 */
final class Tap {
  // no two adjacent parts can match the same spaces: the name is trimmed afterwards
  private static final Pattern TEST = Pattern.compile(
      "^[ \\t]*(not )?ok\\b(?:[ \\t]+(\\d{1,9})\\b)?(?:[ \\t]+-)?([^#]*)(?:#[ \\t]*(skip|todo)\\S*(.*))?$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PLAN = Pattern.compile("^[ \\t]*1\\.\\.(\\d{1,9})(?:[ \\t]*#.*)?$");
  private static final int MAX_LINE = 4096;

  private Tap() {}

  static Optional<TestReport> parse(String output) {
    boolean tap = false;
    Integer planned = null;
    String bailOut = null;
    List<TestReport.Result> results = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.length() > MAX_LINE) continue;
      if (line.startsWith("TAP version")) {
        tap = true;
        continue;
      }
      Matcher plan = PLAN.matcher(line);
      if (plan.matches()) {
        tap = true;
        planned = Integer.parseInt(plan.group(1));
        continue;
      }
      if (line.startsWith("Bail out!")) {
        bailOut = line.substring("Bail out!".length()).trim();
        continue;
      }
      Matcher test = TEST.matcher(line);
      if (!test.matches()) continue;
      String number = test.group(2);
      String name = test.group(3).isBlank() ? "test " + (number != null ? number : results.size() + 1) : test.group(3);
      String directive = test.group(4) == null ? "" : test.group(4).toLowerCase();
      boolean failed = test.group(1) != null;
      String status = directive.equals("skip") ? "skipped" : failed && !directive.equals("todo") ? "failed"
          : failed ? "skipped" : "passed";
      String message = directive.isEmpty() ? null : directive + (test.group(5).isBlank() ? "" : ": " + test.group(5).trim());
      results.add(new TestReport.Result(name.trim(), status, message));
    }
    if (!tap || (results.isEmpty() && planned == null)) return Optional.empty();
    if (planned != null) {
      for (int missing = results.size() + 1; missing <= planned && missing <= TestReport.MAX_TESTS * 2; missing++) {
        results.add(new TestReport.Result("test " + missing, "failed",
            bailOut != null ? "bailed out: " + bailOut : "planned but never reported"));
      }
    }
    return Optional.of(TestReport.of("tap", results));
  }
}
