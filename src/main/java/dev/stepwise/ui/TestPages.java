package dev.stepwise.ui;

import dev.stepwise.auth.Permission;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.testcases.TestCase;
import dev.stepwise.testcases.TestCaseService;
import dev.stepwise.testcases.TestGeneration;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test cases: search, create, edit, delete, their history; and AI Generate Tests. */
public final class TestPages {
  private static final int HISTORY = 50;

  private final TestCaseService cases;
  private final TestGeneration generation;
  private final Frames frames;
  private final Templates templates;

  public TestPages(TestCaseService cases, TestGeneration generation, Frames frames, Templates templates) {
    this.cases = cases;
    this.generation = generation;
    this.frames = frames;
    this.templates = templates;
  }

  public void register(Api api) {
    var read = Access.page(Permission.TEST_READ);
    var submit = Access.page(Permission.TEST_SUBMIT);
    api.page(HandlerType.GET, "/tests", read, "Test cases, searchable by name and subsystem", this::list);
    api.page(HandlerType.POST, "/tests", submit, "Create a test case", ctx -> {
      try {
        TestCase created = cases.create(AuthFilter.caller(ctx), request(ctx));
        ctx.redirect("/tests/" + created.id(), HttpStatus.SEE_OTHER);
      } catch (ApiError e) {
        if (e.status() != 422) throw e;
        ctx.status(422);
        renderList(ctx, e);
      }
    });
    api.page(HandlerType.GET, "/tests/generate", submit, "AI Generate Tests: the form", ctx ->
        renderGenerate(ctx, null));
    api.page(HandlerType.POST, "/tests/generate", submit, "AI Generate Tests from a function or a diff", this::generate);
    api.page(HandlerType.GET, "/tests/{id}", read, "One test case: its fields and history", ctx -> renderCase(ctx, null));
    api.page(HandlerType.POST, "/tests/{id}", submit, "Save a test case", ctx -> {
      try {
        cases.update(PathParams.id(ctx, "id"), request(ctx));
        ctx.redirect("/tests/" + PathParams.id(ctx, "id"), HttpStatus.SEE_OTHER);
      } catch (ApiError e) {
        if (e.status() != 422) throw e;
        ctx.status(422);
        renderCase(ctx, e);
      }
    });
    api.page(HandlerType.POST, "/tests/{id}/delete", Access.page(Permission.TEST_DELETE), "Delete a test case", ctx -> {
      cases.delete(PathParams.id(ctx, "id"));
      ctx.redirect("/tests", HttpStatus.SEE_OTHER);
    });
  }

  private void list(Context ctx) {
    renderList(ctx, null);
  }

  private void renderList(Context ctx, ApiError error) {
    Frame frame = frames.of(ctx, "Test cases", "tests", "");
    String name = Forms.optionalQuery(ctx, "name");
    String subsystem = Forms.optionalQuery(ctx, "subsystem");
    Pagination page = Pagination.from(ctx);
    var parameters = new HashMap<String, Object>(Map.of("frame", frame,
        "page", cases.list(subsystem, name, page.afterId(), page.limit()), "errors", Forms.errors(error),
        "values", Forms.values(ctx)));
    parameters.put("name", name);
    parameters.put("subsystem", subsystem);
    templates.render(ctx, "tests.jte", parameters);
  }

  private void renderCase(Context ctx, ApiError error) {
    long id = PathParams.id(ctx, "id");
    Frame frame = frames.of(ctx, "Test case " + id, "tests", "");
    TestCase testCase = cases.get(id);
    var values = new HashMap<>(stored(testCase));
    values.putAll(Forms.values(ctx)); // what was sent, after a mistake, wins over what is stored
    templates.render(ctx, "test.jte", Map.of("frame", frame, "testCase", testCase,
        "runs", cases.runs(id, 0, HISTORY).items(), "errors", Forms.errors(error), "values", values));
  }

  private void renderGenerate(Context ctx, ApiError error) {
    Frame frame = frames.of(ctx, "AI Generate Tests", "tests", "");
    templates.render(ctx, "tests_generate.jte", Map.of("frame", frame, "errors", Forms.errors(error),
        "form", Forms.values(ctx)));
  }

  private void generate(Context ctx) {
    TestGeneration.Result result;
    try {
      var caller = AuthFilter.caller(ctx);
      Integer max = number(ctx.formParam("max_tests"));
      String subsystem = Forms.optional(ctx, "subsystem");
      String diff = Forms.optional(ctx, "diff");
      result = diff != null
          ? generation.fromDiff(caller, new TestGeneration.DiffRequest(diff, subsystem, max, true, null))
          : generation.fromFunction(caller, new TestGeneration.FunctionRequest(ctx.formParam("function_name"),
              ctx.formParam("file_path"), subsystem, max, true, null));
    } catch (ApiError e) {
      if (e.status() != 422) throw e;
      ctx.status(422);
      renderGenerate(ctx, e);
      return;
    }
    long executionId = result.executionPlan() == null ? 0 : result.executionPlan().id();
    Frame frame = frames.of(ctx, "Generated tests", "tests",
        executionId == 0 ? "" : ExecutionEvents.topic(executionId));
    var parameters = new HashMap<String, Object>(Map.of("frame", frame, "result", result));
    parameters.put("executionId", executionId);
    templates.render(ctx, "tests_generated.jte", parameters);
  }

  private static TestCaseService.Request request(Context ctx) {
    String tags = ctx.formParam("tags");
    List<String> tagList = tags == null || tags.isBlank() ? List.of()
        : Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    return new TestCaseService.Request(ctx.formParam("name"), Forms.optional(ctx, "description"),
        Forms.optional(ctx, "subsystem"), Forms.optional(ctx, "file_path"),
        Forms.optional(ctx, "function_name"), Forms.optional(ctx, "command"),
        Forms.optional(ctx, "expected"), tagList);
  }

  /** A stored case as its form's fields. */
  private static Map<String, String> stored(TestCase testCase) {
    var values = new HashMap<String, String>();
    values.put("name", testCase.name());
    values.put("subsystem", testCase.subsystem());
    values.put("file_path", testCase.filePath());
    values.put("function_name", testCase.functionName());
    values.put("tags", String.join(", ", testCase.tags()));
    values.put("command", testCase.command());
    values.put("description", testCase.description());
    values.put("expected", testCase.expected());
    return values;
  }

  private static Integer number(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw ApiError.validation("max_tests", "must be a whole number from 1 to 50");
    }
  }
}
