package dev.stepwise.tasks.backends.opencode;

import dev.stepwise.health.ComponentHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code components.agent_cli} of {@code /health}: whether OpenCode is installed and usable with
 * the server's model, its version, and whether its server runs now. It makes the server
 * {@code degraded} only where tasks run on OpenCode by default and OpenCode cannot run them.
 * Whether it is installed is checked once, in the background, so that the check always answers at
 * once. Thread-safe.
 */
public final class OpenCodeHealth implements ComponentHealth {
  private final OpenCodeServer server;
  private final OpenCodeConfig config;
  private volatile boolean inUse;
  private volatile String installProblem;
  private volatile boolean checked;

  OpenCodeHealth(OpenCodeServer server, OpenCodeConfig config) {
    this.server = server;
    this.config = config;
    Thread.ofVirtual().name("opencode-check").start(() -> {
      installProblem = server.installProblem();
      checked = true;
    });
  }

  /** Tasks are configured, and run on OpenCode unless they say otherwise: without it, the server is degraded. */
  public OpenCodeHealth inUse(boolean tasksRunOnOpenCode) {
    this.inUse = tasksRunOnOpenCode;
    return this;
  }

  @Override
  public String name() {
    return "agent_cli";
  }

  @Override
  public Map<String, Object> check() {
    var report = new LinkedHashMap<String, Object>();
    String problem = !checked ? null : installProblem != null ? installProblem : config.modelProblem();
    report.put("status", problem != null && inUse ? "degraded" : "healthy");
    report.put("backend", "opencode");
    report.put("available", checked ? problem == null : null);
    report.put("version", server.version());
    report.put("running", server.running());
    if (problem != null) report.put("error", problem);
    else if (server.lastError() != null) report.put("last_error", server.lastError());
    return report;
  }
}
