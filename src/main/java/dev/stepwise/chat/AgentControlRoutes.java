package dev.stepwise.chat;

import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.Permission;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.PathParams;
import dev.stepwise.web.Validation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's agent control (API.md §7), as views over agent runs: start one (like the WebSocket's
 * {@code start_agent}), stop one (its execution is cancelled and the run ends with
 * {@code agent_error}, code {@code cancelled}), and see how one is doing. A run is seen and stopped
 * by the user who started it, or by an admin; to anyone else it does not exist.
 */
public final class AgentControlRoutes {
  private final ChatService chat;
  private final ExecutionService executions;
  private final AgentRuns runs;

  public AgentControlRoutes(ChatService chat, ExecutionService executions, AgentRuns runs) {
    this.chat = chat;
    this.executions = executions;
    this.runs = runs;
  }

  /** {@code {agent, message, thread_id?}}. */
  record Start(String agent, String message, Long threadId) {}

  /** {@code {run_id}}. */
  record Stop(Long runId) {}

  public void register(Api api) {
    Access agentRun = Access.requires(Permission.AGENT_RUN);
    api.post(Api.V1 + "/agents/start", agentRun, "Start an agent run: {agent, message, thread_id?}; 202 with run_id and thread_id",
        ctx -> {
          Start request = Json.read(ctx, Start.class);
          new Validation().require("message", request.message()).orThrow();
          if (request.threadId() != null && request.threadId() < 1) throw ApiError.validation("thread_id", "must be a thread id");
          var started = chat.send(AuthFilter.caller(ctx), request.threadId(), request.agent(), request.message());
          ApiResponse.accepted(ctx, Map.of("run_id", started.runId(), "thread_id", started.threadId()));
        });
    api.post(Api.V1 + "/agents/stop", agentRun, "Stop an agent run: {run_id}; it ends with agent_error (code cancelled)",
        ctx -> {
          Stop request = Json.read(ctx, Stop.class);
          new Validation().require("run_id", request.runId()).orThrow();
          Caller caller = AuthFilter.caller(ctx);
          view(caller, request.runId());
          var result = executions.cancel(caller, request.runId());
          ApiResponse.ok(ctx, Map.of("run_id", request.runId(), "status", result.execution().status(),
              "stopped", result.cancelled()), result.message());
        });
    api.get(Api.V1 + "/agents/runs/{run_id}", agentRun, "An agent run's status and progress (yours, or any for an admin)",
        ctx -> ApiResponse.ok(ctx, view(AuthFilter.caller(ctx), PathParams.id(ctx, "run_id"))));
  }

  /** The run as the seed shows it; 404 when there is none, or it is another user's and the caller is no admin. */
  private Map<String, Object> view(Caller caller, long runId) {
    var progress = runs.progress(runId).orElseThrow(() -> notFound(runId));
    if (!caller.can(Permission.USERS_ADMIN) && !executions.submittedBy(caller, runId)) throw notFound(runId);
    Execution execution = executions.get(runId);
    var view = new LinkedHashMap<String, Object>();
    view.put("run_id", runId);
    view.put("thread_id", progress.threadId());
    view.put("agent", progress.agent());
    view.put("status", execution.status());
    view.put("turns", progress.turns());
    view.put("tool_calls", progress.toolCalls());
    view.put("started_at", execution.startedAt());
    view.put("finished_at", execution.finishedAt());
    view.put("error", execution.error());
    return view;
  }

  private static ApiError notFound(long runId) {
    return ApiError.notFound("there is no agent run " + runId + " of yours");
  }
}
