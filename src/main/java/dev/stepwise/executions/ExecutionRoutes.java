package dev.stepwise.executions;

import dev.stepwise.auth.Permission;
import dev.stepwise.events.SseStreams;
import dev.stepwise.events.TopicFilter;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.store.Page;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import dev.stepwise.web.Validation;
import io.javalin.http.Context;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The executions API (API.md §4). */
public final class ExecutionRoutes {
  private final ExecutionService service;
  private final SseStreams streams;

  public ExecutionRoutes(ExecutionService service, SseStreams streams) {
    this.service = service;
    this.streams = streams;
  }

  /** The body of an approval decision. */
  record Decision(Boolean approve, String comment, String callKey) {
    void validate() {
      new Validation().require("approve", approve).orThrow();
    }
  }

  public void register(Api api) {
    String path = Api.V1 + "/executions";
    api.post(path, Access.requires(Permission.TEST_SUBMIT), "Submit a plan (JSON, {plan_yaml}, or a YAML body), or up to "
        + PlanRequests.MAX_PLANS + " as {plans: [...]} in one transaction; 202 at once", this::submit);
    api.get(path, Access.requires(Permission.TEST_READ), "List executions, newest first; ?status=&kind=&name= (a part of the name)", this::list);
    api.get(path + "/{id}", Access.requires(Permission.TEST_READ), "One execution with its steps",
        ctx -> ApiResponse.ok(ctx, service.get(PathParams.id(ctx, "id"))));
    api.get(path + "/{id}/logs", Access.requires(Permission.TEST_READ), "A step's full output as text (?step=N)", this::logs);
    api.action(path + "/{id}/cancel", Access.AUTHENTICATED, "Cancel (needs execution:cancel, or being the submitter)", ctx -> {
      var result = service.cancel(AuthFilter.caller(ctx), PathParams.id(ctx, "id"));
      ApiResponse.write(ctx, result.cancelled() ? 200 : 202, result.execution(), result.message());
    });
    api.action(path + "/{id}/retry", Access.requires(Permission.TEST_SUBMIT), "Run the same plan again as a new execution",
        ctx -> ApiResponse.accepted(ctx, service.retry(AuthFilter.caller(ctx), PathParams.id(ctx, "id"))));
    api.post(path + "/{id}/steps/{n}/approve", Access.requires(Permission.EXECUTION_APPROVE),
        "Approve or reject a waiting step: {approve, comment}", ctx -> {
          long id = PathParams.id(ctx, "id");
          int step = PathParams.number(ctx, "n");
          Decision decision = Json.read(ctx, Decision.class);
          decision.validate();
          ApiResponse.ok(ctx, service.decide(AuthFilter.caller(ctx), id, step, decision.approve(), decision.comment(),
              decision.callKey()));
        });
    api.get(Api.V1 + "/approvals", Access.requires(Permission.STATUS_READ), "Steps waiting for a decision, oldest first",
        ctx -> {
          String status = ctx.queryParam("status");
          if (status != null && !status.equals("pending")) throw ApiError.validation("status", "only pending is supported");
          ApiResponse.ok(ctx, new Page<>(service.pendingApprovals(null), null));
        });
    api.stream(path + "/{id}/events", Access.requiresWithQueryToken(Permission.STATUS_READ),
        "Server-sent events of one execution; resumes after Last-Event-ID or ?since=", ctx -> {
          long id = PathParams.id(ctx, "id");
          service.get(id);
          long since = SseStreams.resumePoint(ctx);
          TopicFilter filter = TopicFilter.of(ExecutionEvents.topic(id));
          streams.serve(ctx, filter, since);
        });
  }

  private void submit(Context ctx) {
    PlanRequests.Submission submission = PlanRequests.read(ctx, service.parser());
    if (!submission.bulk()) {
      ApiResponse.accepted(ctx, service.submit(AuthFilter.caller(ctx), submission.plans().getFirst()));
      return;
    }
    java.util.List<Long> ids = service.submitAll(AuthFilter.caller(ctx), submission.plans());
    ApiResponse.accepted(ctx, java.util.Map.of("execution_ids", ids, "count", ids.size()));
  }

  private void list(Context ctx) {
    Executions.Filter filter = filter(ctx);
    Pagination page = Pagination.from(ctx);
    ApiResponse.ok(ctx, service.list(filter, page.afterId(), page.limit()));
  }

  /** The list filter a request asks for with {@code ?status=&kind=&name=}; the dashboard reads it the same way. */
  public static Executions.Filter filter(Context ctx) {
    ExecutionStatus status = enumParam(ctx, "status", ExecutionStatus.class);
    String kindText = ctx.queryParam("kind");
    ExecutionKind kind = null;
    if (kindText != null && !kindText.isEmpty()) {
      kind = ExecutionKind.fromWireName(kindText).orElseThrow(() ->
          ApiError.validation("kind", "must be one of command, test, agent, task, chat"));
    }
    String name = ctx.queryParam("name");
    new Validation().length("name", name, 0, 200).orThrow();
    return new Executions.Filter(status, kind, name);
  }

  private void logs(Context ctx) {
    long id = PathParams.id(ctx, "id");
    String stepText = ctx.queryParam("step");
    String text;
    if (stepText == null) {
      int steps = service.get(id).steps().size();
      text = IntStream.rangeClosed(1, steps).mapToObj(n -> "=== step " + n + " ===\n" + service.logs(id, n))
          .collect(Collectors.joining());
    } else {
      int step;
      try {
        step = Integer.parseInt(stepText);
      } catch (NumberFormatException e) {
        throw ApiError.validation("step", "must be a step number");
      }
      text = service.logs(id, step);
    }
    ctx.contentType("text/plain; charset=utf-8").result(text);
  }

  private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) return null;
    try {
      return Enum.valueOf(type, text.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw ApiError.validation(name, "unknown value '" + text + "'");
    }
  }
}
