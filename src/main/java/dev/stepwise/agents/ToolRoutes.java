package dev.stepwise.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.agents.tools.AgentTools;
import dev.stepwise.auth.Permission;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Direct tool calls (API.md §7): {@code POST /tools/{name}/execute} runs one tool with no model, as
 * an execution of kind {@code agent} with the tool's own approval policy, so that it is audited,
 * parked for a decision and streamed exactly like an agent's call. Answers 202 at once.
 */
public final class ToolRoutes {
  private final ExecutionService executions;
  private final AgentTools tools;

  public ToolRoutes(ExecutionService executions, AgentTools tools) {
    this.executions = executions;
    this.tools = tools;
  }

  /** The call's arguments: for shell {@code {"command": "..."}}, and so on (see GET /tools). */
  record Call(Map<String, Object> arguments) {}

  public void register(Api api) {
    api.post(Api.V1 + "/tools/{name}/execute", Access.requires(Permission.AGENT_RUN),
        "Run one tool directly, under its approval policy; 202 with the run (an execution)", ctx -> {
          String name = ctx.pathParam("name");
          Tool tool = Tool.named(name).orElseThrow(() -> ApiError.notFound("there is no tool named '"
              + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'; see GET /api/v1/tools"));
          Call call = Json.read(ctx, Call.class);
          Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
          String invalid = tools.invalid(tool.name(), arguments);
          if (invalid != null) throw ApiError.validation("arguments", invalid);
          ObjectNode plan = Json.mapper().createObjectNode().put("name", "tool " + tool.name()).put("kind", "agent");
          ObjectNode step = plan.putArray("steps").addObject().put("name", tool.name()).put("type", "agent");
          step.putObject("tool").put("name", tool.name()).set("arguments", Json.mapper().valueToTree(arguments));
          Execution execution = executions.submit(AuthFilter.caller(ctx), executions.parser().parse(plan));
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("run_id", execution.id());
          data.put("tool", tool.name());
          data.put("needs_approval", tools.needsApproval(tool.defaultApproval(), tool.name(), arguments));
          data.put("execution", execution);
          ApiResponse.accepted(ctx, data);
        });
  }
}
