package dev.stepwise.health;

import dev.stepwise.app.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles {@code /health} from each component's own report (API.md §3). The overall status is
 * {@code unhealthy} when any component is, {@code degraded} when any is not fully healthy (or not
 * started), and {@code healthy} only when every component says so. Thread-safe.
 */
public final class HealthService {
  private final List<ComponentHealth> components;
  private final Clock clock;
  private final Instant startedAt;

  public HealthService(List<ComponentHealth> components, Clock clock) {
    this.components = List.copyOf(components);
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** The report; {@code status} is one of healthy, degraded, unhealthy. */
  public record Report(String status, String version, long uptimeS, Map<String, Map<String, Object>> components) {
    public boolean unhealthy() {
      return "unhealthy".equals(status);
    }
  }

  public Report report() {
    var reports = new LinkedHashMap<String, Map<String, Object>>();
    for (ComponentHealth component : components) reports.put(component.name(), safeCheck(component));
    return new Report(overall(reports.values()), Version.current(),
        Duration.between(startedAt, clock.instant()).toSeconds(), reports);
  }

  private static Map<String, Object> safeCheck(ComponentHealth component) {
    try {
      return component.check();
    } catch (RuntimeException e) {
      return Map.of("status", "unhealthy", "error", String.valueOf(e.getMessage()));
    }
  }

  static String overall(Iterable<Map<String, Object>> reports) {
    String overall = "healthy";
    for (Map<String, Object> report : reports) {
      Object status = report.get("status");
      if ("unhealthy".equals(status)) return "unhealthy";
      if (!"healthy".equals(status)) overall = "degraded";
    }
    return overall;
  }
}
