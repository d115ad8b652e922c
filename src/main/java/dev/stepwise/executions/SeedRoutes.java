package dev.stepwise.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
    api.post(Api.V1 + "/agent/execute", Access.requires(Permission.AGENT_RUN),
        "Start an agent session: {name, steps} (or {agent, goal}); 202 with its session_id", ctx -> {
          Execution execution = service.submit(AuthFilter.caller(ctx), service.parser().parse(agentPlan(ctx)));
          var data = new LinkedHashMap<String, Object>();
          data.put("session_id", execution.id());
          data.put("status", execution.status());
          data.put("execution", execution);
          ApiResponse.accepted(ctx, data);
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

  /** {@code {name, steps}} becomes a plan of kind agent; {@code {agent, goal}} needs the agent runtime. */
  private static JsonNode agentPlan(io.javalin.http.Context ctx) {
    if (ctx.contentType() == null || !ctx.contentType().toLowerCase().startsWith("application/json")) {
      throw ApiError.badRequest("send the session as JSON: {name, steps}");
    }
    JsonNode body = PlanRequests.tree(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
    if (!body.isObject()) throw ApiError.badRequest("the request body must be a JSON object");
    if (body.has("goal") || body.has("agent")) {
      throw ApiError.unavailable("agent sessions with a goal need the agent runtime, which this server does not "
          + "have yet; send {name, steps} to run explicit steps");
    }
    ObjectNode plan = ((ObjectNode) body).deepCopy();
    if (plan.has("kind") && !"agent".equals(plan.get("kind").asText())) {
      throw ApiError.validation("kind", "an agent session's kind is agent");
    }
    plan.put("kind", "agent");
    return plan;
  }

  private static int stepNumber(String text) {
    try {
      int step = Integer.parseInt(text == null ? "" : text);
      if (step >= 1) return step;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.validation("step_number", "is required: the 1-based number of the step to approve");
  }
}
