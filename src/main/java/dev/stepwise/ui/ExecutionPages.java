package dev.stepwise.ui;

import dev.stepwise.auth.Permission;
import dev.stepwise.events.Event;
import dev.stepwise.events.Events;
import dev.stepwise.events.TopicFilter;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRoutes;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.Steps;
import dev.stepwise.orchestrator.QueueReasons;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The executions list, one execution's page with its live logs, and the actions on it. */
public final class ExecutionPages {
  /** How many lines of each step's log a page shows at first; the whole log is a download. */
  static final int LOG_LINES = 1000;
  private static final int EVENTS_SHOWN = 200;

  private final ExecutionService service;
  private final QueueReasons queueReasons;
  private final Events events;
  private final Frames frames;
  private final Templates templates;

  public ExecutionPages(ExecutionService service, QueueReasons queueReasons, Events events, Frames frames,
      Templates templates) {
    this.service = service;
    this.queueReasons = queueReasons;
    this.events = events;
    this.frames = frames;
    this.templates = templates;
  }

  /** One step's log as a page shows it. */
  public record StepLog(Execution.Step step, Steps.LogTail tail) {}

  public void register(Api api) {
    var read = Access.page(Permission.TEST_READ);
    api.page(HandlerType.GET, "/executions", read, "Executions, newest first, filtered and paged", this::list);
    api.page(HandlerType.GET, "/executions/{id}", read, "One execution: steps, live logs, plan, events", this::show);
    api.page(HandlerType.GET, "/executions/{id}/steps/{n}/log", read, "A step's whole log, as a download", ctx -> {
      long id = PathParams.id(ctx, "id");
      int step = PathParams.number(ctx, "n");
      ctx.header("Content-Disposition", "attachment; filename=\"execution-" + id + "-step-" + step + ".log\"")
          .contentType("text/plain; charset=utf-8").result(service.logs(id, step));
    });
    api.page(HandlerType.POST, "/executions/{id}/cancel", Access.signedIn(), "Cancel (execution:cancel, or the submitter)",
        ctx -> {
          service.cancel(AuthFilter.caller(ctx), PathParams.id(ctx, "id"));
          back(ctx);
        });
    api.page(HandlerType.POST, "/executions/{id}/retry", Access.page(Permission.TEST_SUBMIT), "Run the plan again",
        ctx -> {
          Execution again = service.retry(AuthFilter.caller(ctx), PathParams.id(ctx, "id"));
          ctx.redirect("/executions/" + again.id(), HttpStatus.SEE_OTHER);
        });
    api.page(HandlerType.POST, "/executions/{id}/steps/{n}/approve", Access.page(Permission.EXECUTION_APPROVE),
        "Approve or reject a waiting step", ctx -> {
          boolean approve = Forms.decision(ctx, "approve");
          service.decide(AuthFilter.caller(ctx), PathParams.id(ctx, "id"), PathParams.number(ctx, "n"), approve,
              Forms.optional(ctx, "comment"), Forms.optional(ctx, "call_key"));
          back(ctx);
        });
  }

  private void list(Context ctx) {
    Executions.Filter filter = ExecutionRoutes.filter(ctx);
    Pagination page = Pagination.from(ctx);
    Frame frame = frames.of(ctx, "Executions", "executions", "executions");
    var rows = service.list(filter, page.afterId(), page.limit());
    var parameters = new HashMap<String, Object>(Map.of("frame", frame, "filter", filter, "page", rows));
    parameters.put("cursor", Forms.optionalQuery(ctx, "cursor"));
    templates.render(ctx, Forms.fragment(ctx) ? "executions_rows.jte" : "executions.jte",
        parameters);
  }

  private void show(Context ctx) {
    long id = PathParams.id(ctx, "id");
    Frame frame = frames.of(ctx, "Execution " + id, "executions", ExecutionEvents.topic(id));
    Execution execution = service.get(id);
    String why = queueReasons.why(id).orElse(null);
    boolean mayCancel = frame.can(Permission.EXECUTION_CANCEL) || service.submittedBy(frame.caller(), id);
    var parameters = new HashMap<String, Object>(Map.of("frame", frame, "execution", execution,
        "mayCancel", mayCancel));
    if (why != null) parameters.put("why", why);
    if (Forms.fragment(ctx)) {
      templates.render(ctx, "execution_summary.jte", parameters);
      return;
    }
    List<StepLog> logs = new ArrayList<>();
    for (Execution.Step step : execution.steps()) {
      logs.add(new StepLog(step, service.logTail(id, step.stepNumber(), LOG_LINES)));
    }
    parameters.put("logs", logs);
    parameters.put("plan", service.plan(id));
    parameters.put("events", recentEvents(id));
    templates.render(ctx, "execution.jte", parameters);
  }

  /** The execution's newest events but its output lines (those are in the logs). */
  private List<Event> recentEvents(long id) {
    return events.latest(TopicFilter.of(ExecutionEvents.topic(id)), "step.output", EVENTS_SHOWN);
  }

  /** After a form: back to the page it came from (a path on this site), else the execution. */
  private static void back(Context ctx) {
    String next = Forms.safeNext(ctx.formParam("next"));
    ctx.redirect("/".equals(next) ? "/executions/" + ctx.pathParam("id") : next, HttpStatus.SEE_OTHER);
  }
}
