package dev.stepwise.testcases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns stored test cases into a plan of kind {@code test}: one {@code test} step per case, each
 * allowed to fail so that every case runs and gets its own result. Thread-safe.
 */
public final class TestPlans {
  static final int MAX_CASES = 200;

  private final TestCases store;

  public TestPlans(TestCases store) {
    this.store = store;
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
    List<Long> withoutCommand = new ArrayList<>();
    for (Long id : ids) {
      Optional<TestCase> found = id == null ? Optional.empty() : store.find(id);
      if (found.isEmpty()) unknown.add(id);
      else if (found.get().command() == null || found.get().command().isBlank()) withoutCommand.add(id);
      else cases.add(found.get());
    }
    if (!unknown.isEmpty()) throw ApiError.validation("test_case_ids", "unknown test case ids " + unknown);
    if (!withoutCommand.isEmpty()) {
      throw ApiError.validation("test_case_ids", "test cases " + withoutCommand + " have no command to run; set one "
          + "with PUT /api/v1/tests/{id}");
    }
    return toPlan(cases, request.priority());
  }

  private static JsonNode toPlan(List<TestCase> cases, Integer priority) {
    ObjectNode plan = Json.mapper().createObjectNode();
    String names = String.join(", ", cases.stream().map(TestCase::name).toList());
    plan.put("name", "tests: " + (names.length() > 180 ? names.substring(0, 177) + "..." : names));
    plan.put("kind", "test");
    if (priority != null) plan.put("priority", priority);
    ArrayNode steps = plan.putArray("steps");
    for (TestCase testCase : cases) {
      ObjectNode step = steps.addObject();
      step.put("name", testCase.name());
      step.put("type", "test");
      step.put("run", testCase.command());
      step.put("continue_on_error", true);
      step.putObject("env").put("STEPWISE_TEST_CASE_ID", Long.toString(testCase.id()));
    }
    return plan;
  }
}
