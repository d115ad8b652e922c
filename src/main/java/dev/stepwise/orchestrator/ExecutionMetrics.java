package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of {@code /execution/metrics} (API.md §3), from the store and this node's engine. */
public final class ExecutionMetrics {
  private final Executions executions;
  private final Orchestrator orchestrator;
  private final Clock clock;
  private final java.util.function.Supplier<List<Map<String, Object>>> remoteEnvironments;

  /** @param remoteEnvironments the remote environments as {@code environments} of the metrics lists them */
  public ExecutionMetrics(Executions executions, Orchestrator orchestrator, Clock clock,
      java.util.function.Supplier<List<Map<String, Object>>> remoteEnvironments) {
    this.executions = executions;
    this.orchestrator = orchestrator;
    this.clock = clock;
    this.remoteEnvironments = remoteEnvironments;
  }

  /** The remote environments, as {@code environments} of the metrics lists them after {@code local}. */
  public List<Map<String, Object>> remoteEnvironments() {
    return remoteEnvironments.get();
  }

  /** Queue depth by status, over all kinds and for kind test. */
  public record Queue(long queued, long running, long waitingApproval, long queuedTests, long runningTests) {}

  public Queue queue() {
    Map<String, Long> counts = executions.countByKindAndStatus();
    long queued = 0, running = 0, waiting = 0;
    for (var entry : counts.entrySet()) {
      String status = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
      switch (status) {
        case "queued" -> queued += entry.getValue();
        case "running" -> running += entry.getValue();
        case "waiting_approval" -> waiting += entry.getValue();
        default -> { }
      }
    }
    return new Queue(queued, running, waiting, counts.getOrDefault("test/queued", 0L), counts.getOrDefault("test/running", 0L));
  }

  /**
   * This node's engine in the words of {@code /health}: {@code healthy} while it dispatches,
   * {@code degraded} when its loop has stalled, {@code stopped} when it does not run.
   */
  public static String orchestratorStatus(Orchestrator.Status status) {
    if (!status.running()) return "stopped";
    return status.healthy() ? "healthy" : "degraded";
  }

  /**
   * The engine's state and the last hour's work.
   *
   * @param lastHour the executions that finished in the last hour, newest first
   */
  public record Summary(String orchestratorStatus, Orchestrator.Status engine, Queue queue,
      List<Executions.Finished> lastHour, Long avgDurationMs, Long p95DurationMs, Long dispatchP50Ms,
      Long dispatchP95Ms) {
    public long completedLastHour() {
      return lastHour.stream().filter(f -> f.status() == ExecutionStatus.COMPLETED).count();
    }

    public long failedLastHour() {
      return lastHour.size() - completedLastHour();
    }
  }

  public Summary summary() {
    Queue queue = queue();
    List<Executions.Finished> lastHour = executions.finishedSince(clock.instant().minus(Duration.ofHours(1)));
    List<Long> durations = lastHour.stream().filter(f -> f.startedAt() != null)
        .map(f -> Duration.between(f.startedAt(), f.finishedAt()).toMillis()).sorted().toList();
    List<Long> dispatch = lastHour.stream().filter(f -> f.startedAt() != null)
        .map(f -> Duration.between(f.queuedAt(), f.startedAt()).toMillis()).sorted().toList();
    Orchestrator.Status status = orchestrator.status();
    Long average = durations.isEmpty() ? null
        : Math.round(durations.stream().mapToLong(Long::longValue).average().orElse(0));
    return new Summary(orchestratorStatus(status), status, queue, lastHour, average, percentile(durations, 0.95),
        percentile(dispatch, 0.50), percentile(dispatch, 0.95));
  }

  public Map<String, Object> snapshot() {
    Summary summary = summary();
    Queue queue = summary.queue();
    var data = new LinkedHashMap<String, Object>();
    data.put("orchestrator_status", summary.orchestratorStatus());
    data.put("queued_tests", queue.queuedTests());
    data.put("running_tests", queue.runningTests());
    data.put("queued", queue.queued());
    data.put("running", queue.running());
    data.put("waiting_approval", queue.waitingApproval());
    data.put("completed_last_hour", summary.completedLastHour());
    data.put("failed_last_hour", summary.failedLastHour());
    data.put("avg_duration_ms", summary.avgDurationMs());
    data.put("p95_duration_ms", summary.p95DurationMs());
    data.put("dispatch_latency_ms_p50", summary.dispatchP50Ms());
    data.put("dispatch_latency_ms_p95", summary.dispatchP95Ms());
    Orchestrator.Status status = summary.engine();
    Environment environment = status.environment();
    var environments = new java.util.ArrayList<Map<String, Object>>();
    environments.add(Map.of("name", environment.name(), "labels", environment.labels(),
        "slots", environment.slots(), "busy", status.busy(), "node_id", status.nodeId()));
    environments.addAll(remoteEnvironments.get());
    data.put("environments", environments);
    return data;
  }

  static Long percentile(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) return null;
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
