package dev.stepwise.events;

import dev.stepwise.health.ComponentHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code event_bus} component of {@code /health}. */
public final class EventBusHealth implements ComponentHealth {
  private final EventBus bus;
  private final Signals signals;
  private final boolean expectsPeers;

  public EventBusHealth(EventBus bus, Signals signals, boolean expectsPeers) {
    this.bus = bus;
    this.signals = signals;
    this.expectsPeers = expectsPeers;
  }

  @Override
  public String name() {
    return "event_bus";
  }

  @Override
  public Map<String, Object> check() {
    var report = new LinkedHashMap<String, Object>();
    boolean peersOk = !expectsPeers || signals.listeningToPeers();
    report.put("status", bus.healthy() && peersOk ? "healthy" : "degraded");
    report.put("subscribers", bus.subscribers());
    report.put("last_event_id", bus.lastDeliveredId());
    if (expectsPeers) report.put("listening_to_peers", signals.listeningToPeers());
    return report;
  }
}
