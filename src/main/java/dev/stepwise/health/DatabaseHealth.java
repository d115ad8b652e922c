package dev.stepwise.health;

import dev.stepwise.store.Database;
import dev.stepwise.store.StoreUnavailable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pings the database ({@link HealthService} gives up on it after its deadline). A database known
 * to be out of reach is reported at once, in words ("database unreachable at 127.0.0.1:5432"); the
 * driver's own message stays in the server log.
 */
public final class DatabaseHealth implements ComponentHealth {
  private final Database db;

  public DatabaseHealth(Database db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public Map<String, Object> check() {
    var report = new LinkedHashMap<String, Object>();
    Optional<String> problem = db.outage().map(StoreUnavailable::reason).or(() -> ping(report));
    report.put("status", problem.isEmpty() ? "healthy" : "unhealthy");
    problem.ifPresent(reason -> report.put("error", reason));
    report.put("dialect", db.dialect().displayName());
    report.put("schema_version", db.schemaVersion());
    Database.PoolStats pool = db.poolStats();
    report.put("pool", Map.of("active", pool.active(), "idle", pool.idle(), "waiting", pool.waiting()));
    return report;
  }

  /** Empty when the ping answered (its latency goes into the report), else why not. */
  private Optional<String> ping(Map<String, Object> report) {
    try {
      Duration latency = db.ping();
      report.put("latency_ms", Math.round(latency.toNanos() / 10_000.0) / 100.0);
      return Optional.empty();
    } catch (StoreUnavailable e) {
      return Optional.of(e.reason());
    }
  }
}
