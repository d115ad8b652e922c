package dev.stepwise.testcases;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A test case (API.md §5): what to test, and the command that tests it.
 *
 * @param source {@code manual} or {@code generated}
 * @param generator which generator proposed it, for generated ones
 * @param lastResult the outcome of its latest run, or {@code null} before the first
 * @param flaky whether it both passed and failed in its recent runs of one command on one revision
 * @param cannotRun why it cannot run now (no command of its own and no template for it), or {@code null}
 */
public record TestCase(
    long id, String name, String description, String subsystem, String filePath, String functionName,
    String source, String generator, String command, String expected, List<String> tags, String createdBy,
    Instant createdAt, Instant updatedAt, JsonNode lastResult, boolean flaky, String cannotRun) {

  /** The same case, saying why it cannot run (or that it can: {@code null}). */
  public TestCase withCannotRun(String reason) {
    return new TestCase(id, name, description, subsystem, filePath, functionName, source, generator, command, expected,
        tags, createdBy, createdAt, updatedAt, lastResult, flaky, reason);
  }
}
