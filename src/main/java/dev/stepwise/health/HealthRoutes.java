package dev.stepwise.health;

import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code /api/v1/health} and {@code /metrics}. */
public final class HealthRoutes {
  private final HealthService health;
  private final PrometheusMeterRegistry metrics;

  public HealthRoutes(HealthService health, PrometheusMeterRegistry metrics) {
    this.health = health;
    this.metrics = metrics;
  }

  public void register(Api api) {
    api.get(Api.V1 + "/health", Access.PUBLIC, "The state of each component; 503 when unhealthy", ctx -> {
      HealthService.Report report = health.report();
      ApiResponse.write(ctx, report.unhealthy() ? 503 : 200, report, null);
    });
    api.get("/metrics", Access.PUBLIC, "Prometheus metrics (text format)", ctx ->
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }
}
