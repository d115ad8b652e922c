package dev.stepwise.ui;

import dev.stepwise.auth.Permission;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.TaskEvents;
import dev.stepwise.tasks.TaskService;
import dev.stepwise.tasks.TaskStatus;
import dev.stepwise.tasks.run.TaskRuns;
import dev.stepwise.tasks.sessions.Activity;
import dev.stepwise.tasks.sessions.Session;
import dev.stepwise.tasks.sessions.Sessions;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coding tasks: the list by status with a create form and "Execute", and a task's page with its
 * lifecycle, the plan and the agent's requests to approve, the activity as it happens and the diff.
 */
public final class TaskPages {
  /** How much activity a task's page shows (the newest); the API has all of it. */
  static final int ACTIVITY = 500;
  /** How much of the diff a task's page shows; the API's {@code /diff} has all of it. */
  static final int MAX_DIFF = 256 * 1024;

  /** The services the pages call. */
  public record Parts(TaskService tasks, TaskRuns runs, Sessions sessions) {}

  private final Parts parts;
  private final ApprovalPages approvals;
  private final Frames frames;
  private final Templates templates;

  public TaskPages(Parts parts, ApprovalPages approvals, Frames frames, Templates templates) {
    this.parts = parts;
    this.approvals = approvals;
    this.frames = frames;
    this.templates = templates;
  }

  /** A diff line and how it shows: {@code add}, {@code del}, {@code hunk}, {@code file} or plain. */
  public record DiffLine(String text, String kind) {}

  public void register(Api api) {
    var read = Access.page(Permission.TEST_READ);
    var write = Access.page(Permission.TASK_WRITE);
    api.page(HandlerType.GET, "/tasks", read, "Coding tasks by status, with a create form", ctx -> renderList(ctx, null));
    api.page(HandlerType.POST, "/tasks", write, "Create a coding task", ctx -> {
      try {
        Task created = parts.tasks().create(AuthFilter.caller(ctx), request(ctx));
        ctx.redirect("/tasks/" + created.id(), HttpStatus.SEE_OTHER);
      } catch (ApiError e) {
        if (e.status() != 422) throw e;
        ctx.status(422);
        renderList(ctx, e);
      }
    });
    api.page(HandlerType.GET, "/tasks/{id}", read, "A task: its lifecycle, plan, activity and diff", this::show);
    api.page(HandlerType.GET, "/tasks/{id}/approvals", read, "What the task's run waits on", ctx -> {
      Task task = parts.tasks().get(PathParams.id(ctx, "id"));
      templates.render(ctx, "approval_cards.jte", cardParameters(frames.of(ctx, "", "tasks", ""), task));
    });
    api.page(HandlerType.POST, "/tasks/{id}/execute", write, "Execute a task", ctx -> {
      long id = PathParams.id(ctx, "id");
      parts.runs().execute(AuthFilter.caller(ctx), id);
      String next = Forms.optional(ctx, "next");
      ctx.redirect(next == null ? "/tasks/" + id : Forms.safeNext(next), HttpStatus.SEE_OTHER);
    });
    api.page(HandlerType.POST, "/tasks/{id}/cancel", write, "Cancel a task's run", ctx -> {
      long id = PathParams.id(ctx, "id");
      parts.runs().cancel(AuthFilter.caller(ctx), id);
      ctx.redirect("/tasks/" + id, HttpStatus.SEE_OTHER);
    });
  }

  private void renderList(Context ctx, ApiError error) {
    Frame frame = frames.of(ctx, "Tasks", "tasks", "tasks");
    String statusText = Forms.optionalQuery(ctx, "status");
    TaskStatus status = statusText == null ? null : TaskStatus.fromWireName(statusText).orElse(null);
    Pagination page = Pagination.from(ctx);
    var parameters = new HashMap<String, Object>(Map.of("frame", frame,
        "page", parts.tasks().list(status, page.afterId(), page.limit()), "statuses", List.of(TaskStatus.values()),
        "errors", Forms.errors(error), "values", Forms.values(ctx), "agents", TaskService.AGENTS));
    parameters.put("status", status == null ? null : status.wireName());
    templates.render(ctx, Forms.fragment(ctx) ? "tasks_rows.jte" : "tasks.jte", parameters);
  }

  private void show(Context ctx) {
    long id = PathParams.id(ctx, "id");
    // the frame first: the page's stream resumes after what the task shows, never after a change it missed
    Frame untitled = frames.of(ctx, "Task " + id, "tasks", TaskEvents.topic(id));
    Task task = parts.tasks().get(id);
    Frame frame = untitled.titled("Task " + id + ": " + task.title());
    Session session = task.sessionId() == null ? null : parts.sessions().find(task.sessionId()).orElse(null);
    List<Activity> activity = session == null ? List.of()
        : ActivityView.of(parts.sessions().latestActivity(session.sessionId(), ACTIVITY));
    var parameters = new HashMap<String, Object>(cardParameters(frame, task));
    parameters.put("task", task);
    parameters.put("session", session);
    parameters.put("activity", activity);
    parameters.put("diff", diff(task));
    parameters.put("lifecycle", List.of(TaskStatus.TODO, TaskStatus.PLANNING, TaskStatus.PLANNING_REVIEW,
        TaskStatus.IN_PROGRESS, TaskStatus.AI_REVIEW, TaskStatus.DONE));
    String part = ctx.queryParam("part");
    templates.render(ctx, part == null ? "task.jte" : "task_" + (part.equals("activity") ? "activity" : "live") + ".jte",
        parameters);
  }

  private Map<String, Object> cardParameters(Frame frame, Task task) {
    Long executionId = task.sessionId() == null ? null
        : parts.sessions().find(task.sessionId()).map(Session::executionId).orElse(null);
    return Map.of("frame", frame, "cards", executionId == null ? List.of()
            : approvals.cards(approval -> approval.executionId() == executionId),
        "next", "/tasks/" + task.id(), "source", "/tasks/" + task.id() + "/approvals");
  }

  private List<DiffLine> diff(Task task) {
    String patch;
    try {
      patch = parts.tasks().diff(task.id());
    } catch (ApiError e) {
      return List.of(new DiffLine(e.getMessage(), "note"));
    }
    boolean cut = patch.length() > MAX_DIFF;
    List<DiffLine> lines = new java.util.ArrayList<>(patch.substring(0, Math.min(patch.length(), MAX_DIFF)).lines()
        .map(line -> new DiffLine(line, line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ")
            ? "file" : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : ""))
        .toList());
    if (cut) lines.add(new DiffLine("[the diff is longer; GET /api/v1/tasks/" + task.id() + "/diff has all of it]", "note"));
    return lines;
  }

  private static TaskService.Request request(Context ctx) {
    return new TaskService.Request(ctx.formParam("title"), Forms.optional(ctx, "description"),
        Forms.optional(ctx, "repository_path"), Forms.optional(ctx, "base_ref"), Forms.optional(ctx, "agent"),
        new TaskService.ReviewRequest(Forms.optional(ctx, "review_plan"), Forms.optional(ctx, "review_merge")),
        new TaskService.ApprovalRequest(Forms.optional(ctx, "approval_edit"), Forms.optional(ctx, "approval_shell")));
  }
}
