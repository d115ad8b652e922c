package dev.stepwise.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports for the components this build does not run yet (the execution engine and the event
 * bus). They say {@code not_started}, never {@code healthy}, so that nobody mistakes a server
 * without an orchestrator for one that is dispatching work.
 */
public final class NotStartedComponents {
  private NotStartedComponents() {}

  public static ComponentHealth orchestrator(String nodeId) {
    return new Fixed("test_orchestrator", () -> {
      var report = new LinkedHashMap<String, Object>();
      report.put("status", "not_started");
      report.put("running", false);
      report.put("node_id", nodeId);
      report.put("workers", 0);
      report.put("queued", 0);
      report.put("running_executions", 0);
      report.put("waiting_approval", 0);
      report.put("last_dispatch_at", null);
      report.put("message", "this build has no execution engine yet");
      return report;
    });
  }

  public static ComponentHealth eventBus() {
    return new Fixed("event_bus", () -> Map.of("status", "not_started", "subscribers", 0));
  }

  private record Fixed(String name, java.util.function.Supplier<Map<String, Object>> report)
      implements ComponentHealth {
    @Override
    public Map<String, Object> check() {
      return report.get();
    }
  }
}
