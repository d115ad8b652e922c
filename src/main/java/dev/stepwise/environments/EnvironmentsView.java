package dev.stepwise.environments;

import dev.stepwise.environments.ssh.SshConnections;
import dev.stepwise.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote environments as the API, the metrics and the dashboard show them: labels and slots
 * as configured, how many slots are held and how many executions wait across every node, and how
 * each answered this node last. Thread-safe.
 */
public final class EnvironmentsView {
  private final SshConnections connections;
  private final Database db;

  public EnvironmentsView(SshConnections connections, Database db) {
    this.connections = connections;
    this.db = db;
  }

  public SshConnections connections() {
    return connections;
  }

  /** One entry per remote environment, in the order the settings declare them. */
  public List<Map<String, Object>> remote() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (EnvironmentSpec spec : connections.specs().values()) {
      EnvironmentHealth.Seen seen = connections.health(spec.name()).seen();
      var item = new LinkedHashMap<String, Object>();
      item.put("name", spec.name());
      item.put("type", "ssh");
      item.put("host", spec.address());
      item.put("labels", spec.labels());
      item.put("slots", spec.slots());
      item.put("busy", db.reads().withHandle(h -> EnvironmentSlots.busy(h, spec.name(), spec.slots())));
      item.put("waiting", db.reads().withHandle(h -> EnvironmentSlots.waiting(h, spec.name())));
      item.put("reachable", seen.lastOkAt() == null && seen.lastError() == null ? null : seen.reachable());
      item.put("last_ok_at", seen.lastOkAt());
      item.put("rtt_ms", seen.rttMillis());
      item.put("last_error", seen.lastError());
      items.add(item);
    }
    return items;
  }
}
