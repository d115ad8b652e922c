package dev.stepwise.testcases;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.FormBody;

/** Test generation (API.md §5): from a function or a diff, form-encoded or JSON. */
public final class GenerationRoutes {
  private final TestGeneration generation;

  public GenerationRoutes(TestGeneration generation) {
    this.generation = generation;
  }

  public void register(Api api) {
    String path = Api.V1 + "/tests";
    api.post(path + "/generate-from-function", Access.requires(Permission.TEST_SUBMIT),
        "Generate test cases for a function and (auto_execute) run them at once; 202 when queued", ctx -> answer(ctx,
            generation.fromFunction(AuthFilter.caller(ctx), FormBody.read(ctx, TestGeneration.FunctionRequest.class))));
    api.post(path + "/generate-from-diff", Access.requires(Permission.TEST_SUBMIT),
        "Generate regression test cases for the functions a unified diff changes; 202 when queued", ctx -> answer(ctx,
            generation.fromDiff(AuthFilter.caller(ctx), FormBody.read(ctx, TestGeneration.DiffRequest.class))));
  }

  /** 202 when an execution was queued (it runs now), 201 when the cases were only stored. */
  private static void answer(io.javalin.http.Context ctx, TestGeneration.Result result) {
    if (result.executionPlan() != null) ApiResponse.accepted(ctx, result);
    else ApiResponse.created(ctx, result);
  }
}
