package dev.stepwise.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.auth.Permission;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.PlanRequests;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.RequestBodies;
import java.util.LinkedHashMap;

/**
 * The seed's {@code POST /agent/execute} (API.md §4): {@code {agent, goal}} starts an agent working
 * towards the goal; {@code {name, steps}} runs explicit steps as a session. Either way an execution
 * of kind {@code agent}, answered at once with its {@code session_id}.
 */
public final class AgentSessionRoutes {
  private final ExecutionService executions;
  private final AgentSessions sessions;

  public AgentSessionRoutes(ExecutionService executions, AgentSessions sessions) {
    this.executions = executions;
    this.sessions = sessions;
  }

  public void register(Api api) {
    api.post(Api.V1 + "/agent/execute", Access.requires(Permission.AGENT_RUN),
        "Start an agent session: {agent, goal, environment?} (an agent works towards the goal) or {name, steps}; "
            + "202 with its session_id",
        ctx -> {
          if (ctx.contentType() == null || !ctx.contentType().toLowerCase().startsWith("application/json")) {
            throw ApiError.badRequest("send the session as JSON: {agent, goal} or {name, steps}");
          }
          JsonNode body = PlanRequests.tree(RequestBodies.text(ctx));
          if (!body.isObject()) throw ApiError.badRequest("the request body must be a JSON object");
          Execution execution = body.has("goal") || body.has("agent") ? withGoal(ctx, body)
              : executions.submit(AuthFilter.caller(ctx), executions.parser().parse(asAgentPlan((ObjectNode) body)));
          var data = new LinkedHashMap<String, Object>();
          data.put("session_id", execution.id());
          data.put("status", execution.status());
          data.put("execution", execution);
          ApiResponse.accepted(ctx, data);
        });
  }

  private Execution withGoal(io.javalin.http.Context ctx, JsonNode body) {
    var unknown = new java.util.ArrayList<String>();
    body.fieldNames().forEachRemaining(field -> {
      if (!field.equals("agent") && !field.equals("goal") && !field.equals("environment")) unknown.add(field);
    });
    if (!unknown.isEmpty()) {
      throw ApiError.validation(unknown.getFirst(), "unknown field (send {agent, goal, environment?})");
    }
    JsonNode agent = body.path("agent");
    JsonNode goal = body.path("goal");
    JsonNode environment = body.path("environment");
    if (!agent.isMissingNode() && !agent.isTextual()) throw ApiError.validation("agent", "must be an agent name");
    if (!goal.isMissingNode() && !goal.isTextual()) throw ApiError.validation("goal", "must be text");
    if (!environment.isMissingNode() && !environment.isNull() && !environment.isTextual()) {
      throw ApiError.validation("environment", "must be an environment's name");
    }
    return sessions.start(AuthFilter.caller(ctx), agent.isTextual() ? agent.asText() : null,
        goal.isTextual() ? goal.asText() : null, environment.isTextual() ? environment.asText() : null);
  }

  /** {@code {name, steps}} becomes a plan of kind agent. */
  private static ObjectNode asAgentPlan(ObjectNode body) {
    ObjectNode plan = body.deepCopy();
    if (plan.has("kind") && !"agent".equals(plan.get("kind").asText())) {
      throw ApiError.validation("kind", "an agent session's kind is agent");
    }
    plan.put("kind", "agent");
    return plan;
  }
}
