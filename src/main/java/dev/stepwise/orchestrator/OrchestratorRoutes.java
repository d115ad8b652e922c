package dev.stepwise.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Permission;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.PlanRequests;
import dev.stepwise.testcases.TestPlans;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.RequestBodies;
import java.util.LinkedHashMap;
import java.util.Map;

/** The seed-compatible orchestrator views: start, metrics, poll and restart (API.md §3, §4). */
public final class OrchestratorRoutes {
  private final Orchestrator orchestrator;
  private final ExecutionService executions;
  private final ExecutionMetrics metrics;
  private final TestPlans testPlans;

  public OrchestratorRoutes(Orchestrator orchestrator, ExecutionService executions, ExecutionMetrics metrics,
      TestPlans testPlans) {
    this.orchestrator = orchestrator;
    this.executions = executions;
    this.metrics = metrics;
    this.testPlans = testPlans;
  }

  public void register(Api api) {
    String base = Api.V1 + "/execution";
    api.post(base + "/start", Access.requires(Permission.TEST_SUBMIT),
        "Queue a plan (or test cases) and make sure the orchestrator runs; 202", ctx -> {
          if (ctx.contentType() == null || !ctx.contentType().toLowerCase().startsWith("application/json")) {
            throw ApiError.badRequest("send a plan, or {test_case_ids, priority}, as JSON");
          }
          JsonNode body = PlanRequests.tree(RequestBodies.text(ctx));
          JsonNode plan = body.has("test_case_ids") ? testPlans.plan(body) : body;
          Execution execution = executions.submit(AuthFilter.caller(ctx), PlanRequests.fromJson(plan, executions.parser()));
          ApiResponse.accepted(ctx, Map.of("execution", execution, "orchestrator_status", ensureRunning()));
        });
    api.get(base + "/metrics", Access.requires(Permission.STATUS_READ), "Queue depth, outcomes and latencies",
        ctx -> ApiResponse.ok(ctx, metrics.snapshot()));
    api.action(base + "/orchestrator/poll", Access.requires(Permission.STATUS_READ), "Scan for work now", ctx -> {
      orchestrator.wake();
      ExecutionMetrics.Queue queue = metrics.queue();
      var data = new LinkedHashMap<String, Object>();
      data.put("detected_plans", queue.queued());
      data.put("queue", Map.of("queued", queue.queued(), "running", queue.running(), "waiting_approval", queue.waitingApproval()));
      data.put("orchestrator_status", ExecutionMetrics.orchestratorStatus(orchestrator.status()));
      ApiResponse.ok(ctx, data);
    });
    api.action(base + "/orchestrator/restart", Access.requires(Permission.ORCHESTRATOR_ADMIN),
        "Restart dispatching; no execution is lost", ctx -> {
          orchestrator.restart();
          ApiResponse.ok(ctx, Map.of("restarted", true,
              "orchestrator_status", ExecutionMetrics.orchestratorStatus(orchestrator.status())));
        });
  }

  private String ensureRunning() {
    if (!orchestrator.status().running()) orchestrator.restart();
    orchestrator.wake();
    return ExecutionMetrics.orchestratorStatus(orchestrator.status());
  }
}
