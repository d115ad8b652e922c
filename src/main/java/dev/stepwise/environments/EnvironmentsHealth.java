package dev.stepwise.environments;

import dev.stepwise.environments.ssh.SshConnections;
import dev.stepwise.health.ComponentHealth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code components.environments} of {@code /health}: each remote environment, checked in the
 * background every {@link #INTERVAL} (connect, run {@code true}) so that the report answers at once.
 * An unreachable one makes the server {@code degraded}, never unhealthy: the rest still runs.
 * Thread-safe.
 */
public final class EnvironmentsHealth implements ComponentHealth, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EnvironmentsHealth.class);
  static final Duration INTERVAL = Duration.ofSeconds(30);

  private final SshConnections connections;
  private final Consumer<String> checker;
  private final Duration interval;
  private final Thread prober;

  public EnvironmentsHealth(SshConnections connections) {
    this(connections, connections::check, INTERVAL);
  }

  /** @param checker checks one environment by name, recording what it finds in {@code connections} */
  EnvironmentsHealth(SshConnections connections, Consumer<String> checker, Duration interval) {
    this.connections = connections;
    this.checker = checker;
    this.interval = interval;
    this.prober = connections.specs().isEmpty() ? null
        : Thread.ofVirtual().name("environments-probe").start(this::probe);
  }

  private void probe() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        connections.specs().keySet().forEach(this::checkOne);
        Thread.sleep(interval);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One environment's check; whatever it throws, the prober goes on with the others and the next round. */
  private void checkOne(String environment) {
    try {
      checker.accept(environment);
    } catch (RuntimeException e) {
      log.warn("environment {}: the health check failed unexpectedly", environment, e);
    }
  }

  @Override
  public String name() {
    return "environments";
  }

  @Override
  public Map<String, Object> check() {
    var report = new LinkedHashMap<String, Object>();
    var unreachable = new LinkedHashMap<String, Object>();
    connections.specs().keySet().forEach(name -> {
      EnvironmentHealth.Seen seen = connections.health(name).seen();
      if (seen.lastError() != null) unreachable.put(name, seen.lastError());
    });
    report.put("status", unreachable.isEmpty() ? "healthy" : "degraded");
    report.put("remote", connections.specs().size());
    if (!unreachable.isEmpty()) report.put("unreachable", unreachable);
    return report;
  }

  @Override
  public void close() {
    if (prober != null) prober.interrupt();
  }
}
