package dev.stepwise.health;

import dev.stepwise.store.Database;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pings the database, giving up after a short deadline so that health always answers. */
public final class DatabaseHealth implements ComponentHealth {
  private static final Duration DEADLINE = Duration.ofSeconds(2);

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
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var ping = executor.submit(db::ping);
      try {
        Duration latency = ping.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        report.put("status", "healthy");
        report.put("latency_ms", Math.round(latency.toNanos() / 10_000.0) / 100.0);
      } catch (TimeoutException e) {
        ping.cancel(true);
        report.put("status", "unhealthy");
        report.put("error", "no answer within " + DEADLINE.toSeconds() + "s");
      } catch (ExecutionException e) {
        report.put("status", "unhealthy");
        report.put("error", String.valueOf(e.getCause().getMessage()).lines().findFirst().orElse(""));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        report.put("status", "unhealthy");
        report.put("error", "interrupted");
      }
    }
    report.put("dialect", db.dialect().displayName());
    report.put("schema_version", db.schemaVersion());
    Database.PoolStats pool = db.poolStats();
    report.put("pool", Map.of("active", pool.active(), "idle", pool.idle(), "waiting", pool.waiting()));
    return report;
  }
}
