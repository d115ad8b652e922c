package dev.stepwise.executions;

import dev.stepwise.auth.Permission;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.store.Page;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.PathParams;
import java.util.List;
import java.util.Map;

/**
 * The seed-compatible views of API.md §4: older clients' paths over the same executions.
 * ({@code /execution/start} and the orchestrator views live with the orchestrator.)
 */
public final class SeedRoutes {
  private final ExecutionService service;

  public SeedRoutes(ExecutionService service) {
    this.service = service;
  }

  public void register(Api api) {
    api.get(Api.V1 + "/execution/active", Access.requires(Permission.STATUS_READ),
        "Queued, running and waiting executions, highest priority first", ctx -> {
          List<Execution> active = service.active();
          ApiResponse.ok(ctx, Map.of("executions", active, "total", active.size()));
        });
    api.get(Api.V1 + "/agent/{session_id}", Access.requires(Permission.STATUS_READ), "An agent session with its steps",
        ctx -> ApiResponse.ok(ctx, service.get(PathParams.id(ctx, "session_id"))));
    api.post(Api.V1 + "/agent/{session_id}/approve-step", Access.requires(Permission.EXECUTION_APPROVE),
        "Approve (or reject) ?step_number=N of a session; it then runs on to the next gate", ctx -> {
          long id = PathParams.id(ctx, "session_id");
          int step = stepNumber(ctx.queryParam("step_number"));
          var decision = Json.read(ctx, ExecutionRoutes.Decision.class);
          decision.validate();
          ApiResponse.ok(ctx, service.decide(AuthFilter.caller(ctx), id, step, decision.approve(), decision.comment()));
        });
    api.get(Api.V1 + "/agent/approvals/pending", Access.requires(Permission.STATUS_READ),
        "Agent sessions' steps waiting for a decision, oldest first",
        ctx -> ApiResponse.ok(ctx, new Page<>(service.pendingApprovals(ExecutionKind.AGENT), null)));
  }

  private static int stepNumber(String text) {
    try {
      int step = Integer.parseInt(text == null ? "" : text);
      if (step >= 1) return step;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.validation("step_number", "must be a positive integer: the 1-based number of the step to approve");
  }
}
