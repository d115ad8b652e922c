package dev.stepwise.tasks;

import dev.stepwise.auth.Permission;
import dev.stepwise.tasks.run.TaskRuns;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import java.util.Map;

/** The tasks API (API.md §6). */
public final class TaskRoutes {
  private final TaskService service;
  private final TaskRuns runs;

  public TaskRoutes(TaskService service, TaskRuns runs) {
    this.service = service;
    this.runs = runs;
  }

  public void register(Api api) {
    String path = Api.V1 + "/tasks";
    Access write = Access.requires(Permission.TASK_WRITE);
    Access read = Access.requires(Permission.TEST_READ);
    api.create(path, write, "Create a coding task on a repository under tasks.repositories; 201 in todo", ctx ->
        ApiResponse.created(ctx, service.create(AuthFilter.caller(ctx), Json.read(ctx, TaskService.Request.class))));
    api.get(path, read, "Tasks, newest first; ?status=", this::list);
    api.get(path + "/{id}", read, "One task", ctx -> ApiResponse.ok(ctx, service.get(PathParams.id(ctx, "id"))));
    api.patch(path + "/{id}", write, "Change a task's title, description, repository, base_ref, agent or review "
        + "while it is not running", ctx -> {
          long id = PathParams.id(ctx, "id");
          ApiResponse.ok(ctx, service.update(id, Json.read(ctx, TaskService.Request.class)));
        });
    api.action(path + "/{id}/execute", write, "Start a run of the task: 202 at once with its session and execution; "
        + "409 while it runs", ctx -> ApiResponse.accepted(ctx, runs.execute(AuthFilter.caller(ctx), PathParams.id(ctx, "id"))));
    api.action(path + "/{id}/cancel", write, "Cancel the task's run: its agent is stopped, its worktree kept", ctx ->
        ApiResponse.ok(ctx, runs.cancel(AuthFilter.caller(ctx), PathParams.id(ctx, "id"))));
    api.get(path + "/{id}/diff", read, "The task's work as a patch (text) against where its branch left base_ref",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(service.diff(PathParams.id(ctx, "id"))));
    api.delete(path + "/{id}", write, "Delete a task that is not running", ctx -> {
      long id = PathParams.id(ctx, "id");
      service.delete(id);
      ApiResponse.ok(ctx, Map.of("id", id, "deleted", true));
    });
  }

  private void list(Context ctx) {
    String text = ctx.queryParam("status");
    TaskStatus status = null;
    if (text != null && !text.isEmpty()) {
      status = TaskStatus.fromWireName(text).orElseThrow(() -> ApiError.validation("status",
          "must be one of todo, planning, planning_review, in_progress, ai_review, done, failed, cancelled"));
    }
    Pagination page = Pagination.from(ctx);
    ApiResponse.ok(ctx, service.list(status, page.afterId(), page.limit()));
  }
}
