package dev.stepwise.testcases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.testcases.generation.CommandTemplates;
import dev.stepwise.testcases.generation.SourceTree;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns test cases into a plan of kind {@code test}: one {@code test} step per case, each allowed
 * to fail so that every case runs and gets its own result. The plan carries each case's command
 * itself, so that editing or deleting a case does not disturb an execution already queued. A case
 * without a command gets one from {@code testing.commands} now; when none applies, its step is
 * {@code unrunnable}: it fails at once, counted as errored, with a message naming the setting to
 * add. Thread-safe.
 */
public final class TestPlans {
  static final int MAX_CASES = 200;
  /** The variables a test step's command sees, besides the engine's own. */
  public static final String CASE_ID_VAR = "STEPWISE_TEST_CASE_ID";
  public static final String REVISION_VAR = "STEPWISE_TEST_REVISION";

  private final TestCases store;
  private final CommandTemplates templates;
  private final SourceTree sources;

  public TestPlans(TestCases store, CommandTemplates templates, SourceTree sources) {
    this.store = store;
    this.templates = templates;
    this.sources = sources;
  }

  /** A request for {@code /execution/start}: {@code {test_case_ids: [..], priority?}}. */
  public record StartRequest(List<Long> testCaseIds, Integer priority) {}

  /** The plan (as the JSON a client would submit) for {@code request}; 422 naming what is wrong. */
  public JsonNode plan(JsonNode body) {
    StartRequest request = Json.parse(Json.write(body), StartRequest.class);
    Map<String, String> problems = new LinkedHashMap<>();
    List<Long> ids = request.testCaseIds() == null ? List.of() : request.testCaseIds();
    if (ids.isEmpty()) problems.put("test_case_ids", "must list at least one test case id");
    if (ids.size() > MAX_CASES) problems.put("test_case_ids", "must list at most " + MAX_CASES + " test case ids");
    if (request.priority() != null && (request.priority() < 1 || request.priority() > 10)) {
      problems.put("priority", "must be from 1 to 10");
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    List<TestCase> cases = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (Long id : ids) {
      Optional<TestCase> found = id == null ? Optional.empty() : store.find(id);
      if (found.isEmpty()) unknown.add(id);
      else cases.add(found.get());
    }
    if (!unknown.isEmpty()) throw ApiError.validation("test_case_ids", "unknown test case ids " + unknown);
    return plan(cases, request.priority(), revision());
  }

  /** The source tree's revision now: read it before a transaction, it runs {@code git}. */
  public String revision() {
    return sources.revision();
  }

  /** The plan for {@code cases}, in their order, run against source {@code revision} (or null). */
  public JsonNode plan(List<TestCase> cases, Integer priority, String revision) {
    ObjectNode plan = Json.mapper().createObjectNode();
    String names = String.join(", ", cases.stream().map(TestCase::name).toList());
    plan.put("name", "tests: " + (names.length() > 180 ? names.substring(0, 177) + "..." : names));
    plan.put("kind", "test");
    if (priority != null) plan.put("priority", priority);
    ArrayNode steps = plan.putArray("steps");
    for (TestCase testCase : cases) {
      ObjectNode step = steps.addObject();
      step.put("name", testCase.name().length() > 200 ? testCase.name().substring(0, 200) : testCase.name());
      step.put("type", "test");
      Optional<String> command = commandOf(testCase);
      if (command.isPresent()) step.put("run", command.get());
      else step.put("unrunnable", "test case " + testCase.id() + " (" + testCase.name() + ") cannot run: "
          + cannotRun(testCase).orElseThrow());
      step.put("continue_on_error", true);
      ObjectNode env = step.putObject("env");
      env.put(CASE_ID_VAR, Long.toString(testCase.id()));
      if (revision != null) env.put(REVISION_VAR, revision);
    }
    return plan;
  }

  /** Why the case cannot run now: no command of its own and no template for it. */
  public Optional<String> cannotRun(TestCase testCase) {
    if (commandOf(testCase).isPresent()) return Optional.empty();
    return Optional.of(CommandTemplates.missingReason(testCase.subsystem()) + ", or give the case a command with PUT "
        + "/api/v1/tests/" + testCase.id());
  }

  /** The case as clients see it: saying why it cannot run, when it cannot. */
  public TestCase explained(TestCase testCase) {
    return testCase.withCannotRun(cannotRun(testCase).orElse(null));
  }

  /** The case's own command, or the configured template's for it. */
  public Optional<String> commandOf(TestCase testCase) {
    if (testCase.command() != null && !testCase.command().isBlank()) return Optional.of(testCase.command());
    if (testCase.functionName() == null) return Optional.empty();
    return templates.commandFor(new CommandTemplates.Fields(testCase.name(), testCase.functionName(),
        testCase.filePath(), testCase.subsystem()));
  }
}
