package dev.stepwise.testcases;

import dev.stepwise.auth.Caller;
import dev.stepwise.store.Page;
import dev.stepwise.testcases.results.TestRun;
import dev.stepwise.testcases.results.TestRuns;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.util.List;
import java.util.regex.Pattern;

/** Managing test cases by hand (API.md §5). Thread-safe. */
public final class TestCaseService {
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private final TestCases store;
  private final TestRuns runs;
  private final TestPlans plans;

  /** @param plans says of each case whether it can run now (its command, or a template for it) */
  public TestCaseService(TestCases store, TestRuns runs, TestPlans plans) {
    this.store = store;
    this.runs = runs;
    this.plans = plans;
  }

  /** A test case as a client sends it. */
  public record Request(String name, String description, String subsystem, String filePath, String functionName,
      String command, String expected, List<String> tags) {

    TestCases.Fields validated() {
      var validation = new Validation()
          .require("name", name).length("name", name, 1, 200)
          .check("name", name == null || !name.isBlank(), "must not be blank")
          .length("description", description, 0, 10_000)
          .length("subsystem", subsystem, 0, 100)
          .length("file_path", filePath, 0, 1000)
          .length("function_name", functionName, 0, 200)
          .length("command", command, 0, 65_536)
          .length("expected", expected, 0, 10_000);
      if (filePath != null) {
        validation.check("file_path", !filePath.startsWith("/") && !List.of(filePath.split("/")).contains(".."),
            "must be a relative path inside the source tree, without '..'");
      }
      if (tags != null) {
        validation.check("tags", tags.size() <= 50, "must have at most 50 tags");
        validation.check("tags", tags.stream().allMatch(t -> t != null && TAG.matcher(t).matches()),
            "each tag must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
      }
      validation.orThrow();
      return new TestCases.Fields(name.trim(), description, subsystem, filePath, functionName, command, expected,
          tags == null ? List.of() : tags);
    }
  }

  public TestCase create(Caller caller, Request request) {
    return plans.explained(store.create(request.validated(), "manual", null, caller.user().username()));
  }

  public TestCase get(long id) {
    return plans.explained(store.find(id).orElseThrow(() -> notFound(id)));
  }

  public Page<TestCase> list(String subsystem, String name, long afterId, int limit) {
    Page<TestCase> page = store.list(subsystem, name, afterId, limit);
    return new Page<>(page.items().stream().map(plans::explained).toList(), page.nextCursor());
  }

  public TestCase update(long id, Request request) {
    return plans.explained(store.update(id, request.validated()).orElseThrow(() -> notFound(id)));
  }

  /** The case's runs, newest first. */
  public Page<TestRun> runs(long id, long beforeId, int limit) {
    get(id);
    return runs.forCase(id, beforeId, limit);
  }

  /** Deleting does not touch executions: a running test execution carries its own plan. */
  public void delete(long id) {
    if (!store.delete(id)) throw notFound(id);
  }

  private static ApiError notFound(long id) {
    return ApiError.notFound("there is no test case with id " + id);
  }
}
