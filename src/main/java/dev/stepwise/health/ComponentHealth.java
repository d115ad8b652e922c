package dev.stepwise.health;

import java.util.Map;

/**
 * One component's own report for {@code /health}: a status ({@code healthy}, {@code degraded},
 * {@code unhealthy}, {@code not_started}) and the figures that support it.
 */
public interface ComponentHealth {
  String name();

  /** Must answer quickly and never throw; a failure is reported as {@code unhealthy}. */
  Map<String, Object> check();
}
