package dev.stepwise.health;

import dev.stepwise.app.Version;
import dev.stepwise.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles {@code /health} from each component's own report (API.md §3). The components are asked
 * at once, each on its own virtual thread, and the report is given within {@link #DEADLINE}
 * whatever they do: one that has not answered by then is reported {@code unhealthy}. The overall
 * status is {@code unhealthy} when any component is, {@code degraded} when any is not fully
 * healthy (or not started), and {@code healthy} only when every component says so. Thread-safe.
 */
public final class HealthService {
  private static final Logger log = LoggerFactory.getLogger(HealthService.class);
  /** Below the 2 s that API.md promises, with room for the response itself. */
  static final Duration DEADLINE = Duration.ofMillis(1500);

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
    var checks = new LinkedHashMap<String, CompletableFuture<Map<String, Object>>>();
    for (ComponentHealth component : components) {
      var check = new CompletableFuture<Map<String, Object>>();
      Thread.ofVirtual().name("health-" + component.name()).start(() -> check.complete(safeCheck(component)));
      checks.put(component.name(), check);
    }
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    var reports = new LinkedHashMap<String, Map<String, Object>>();
    checks.forEach((name, check) -> reports.put(name, awaitUntil(check, deadline)));
    return new Report(overall(reports.values()), Version.current(),
        Duration.between(startedAt, clock.instant()).toSeconds(), reports);
  }

  private static Map<String, Object> awaitUntil(CompletableFuture<Map<String, Object>> check, long deadline) {
    try {
      return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return Map.of("status", "unhealthy", "error", "did not answer within " + DEADLINE.toMillis() + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      return Map.of("status", "unhealthy", "error", "could not be checked; the server log has the details");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("status", "unhealthy", "error", "interrupted");
    }
  }

  private static Map<String, Object> safeCheck(ComponentHealth component) {
    try {
      return component.check();
    } catch (StoreUnavailable e) {
      return Map.of("status", "unhealthy", "error", e.reason());
    } catch (RuntimeException e) {
      log.warn("health check of {} failed", component.name(), e);
      return Map.of("status", "unhealthy", "error", "could not be checked; the server log has the details");
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
