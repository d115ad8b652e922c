package dev.stepwise.orchestrator;

import dev.stepwise.health.ComponentHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code test_orchestrator} component of {@code /health}: this node's engine, truthfully. */
public final class OrchestratorHealth implements ComponentHealth {
  private final Orchestrator orchestrator;
  private final ExecutionMetrics metrics;

  public OrchestratorHealth(Orchestrator orchestrator, ExecutionMetrics metrics) {
    this.orchestrator = orchestrator;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "test_orchestrator";
  }

  @Override
  public Map<String, Object> check() {
    Orchestrator.Status status = orchestrator.status();
    ExecutionMetrics.Queue queue = metrics.queue();
    var report = new LinkedHashMap<String, Object>();
    report.put("status", !status.running() ? "stopped" : status.healthy() ? "healthy" : "degraded");
    report.put("running", status.running());
    report.put("node_id", status.nodeId());
    report.put("workers", status.workers());
    report.put("busy_workers", status.busy());
    report.put("queued", queue.queued());
    report.put("running_executions", queue.running());
    report.put("waiting_approval", queue.waitingApproval());
    report.put("last_dispatch_at", status.lastDispatchAt());
    return report;
  }
}
