package dev.stepwise.orchestrator;

import dev.stepwise.health.ComponentHealth;
import dev.stepwise.store.StoreUnavailable;
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
    var report = new LinkedHashMap<String, Object>();
    report.put("status", ExecutionMetrics.orchestratorStatus(status));
    report.put("running", status.running());
    report.put("node_id", status.nodeId());
    report.put("workers", status.workers());
    report.put("busy_workers", status.busy());
    try {
      ExecutionMetrics.Queue queue = metrics.queue();
      report.put("queued", queue.queued());
      report.put("running_executions", queue.running());
      report.put("waiting_approval", queue.waitingApproval());
    } catch (StoreUnavailable e) {
      // the engine's own state is still worth knowing; the database component says what is wrong
      report.put("queued", null);
      report.put("running_executions", null);
      report.put("waiting_approval", null);
    }
    report.put("last_dispatch_at", status.lastDispatchAt());
    return report;
  }
}
