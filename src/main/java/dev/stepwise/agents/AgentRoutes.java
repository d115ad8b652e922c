package dev.stepwise.agents;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Agent and tool discovery (API.md §7). */
public final class AgentRoutes {
  private final Agents agents;

  public AgentRoutes(Agents agents) {
    this.agents = agents;
  }

  public void register(Api api) {
    Access read = Access.requires(Permission.STATUS_READ);
    api.get(Api.V1 + "/agents", read, "The agents: name, description, model, tools, approval_policy",
        ctx -> ApiResponse.ok(ctx, agents.all().stream().map(AgentRoutes::summary).toList()));
    api.get(Api.V1 + "/agents/{name}", read, "One agent with its system prompt and limits", ctx -> {
      String name = ctx.pathParam("name");
      AgentDefinition agent = agents.named(name).orElseThrow(() -> ApiError.notFound("there is no agent named '"
          + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'"));
      Map<String, Object> detail = summary(agent);
      detail.put("system_prompt", agent.systemPrompt());
      detail.put("limits", agent.limits());
      detail.put("source", agent.source());
      ApiResponse.ok(ctx, detail);
    });
    api.get(Api.V1 + "/tools", read, "The tools agents may call, with their arguments and default approval",
        ctx -> ApiResponse.ok(ctx, Tool.ALL));
  }

  private static Map<String, Object> summary(AgentDefinition agent) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", agent.name());
    summary.put("description", agent.description());
    summary.put("model", agent.model());
    summary.put("tools", agent.tools());
    summary.put("approval_policy", agent.approvalPolicy());
    return summary;
  }
}
