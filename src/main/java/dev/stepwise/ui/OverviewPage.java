package dev.stepwise.ui;

import dev.stepwise.auth.Permission;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.orchestrator.ExecutionMetrics;
import dev.stepwise.web.Access;
import dev.stepwise.web.Json;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The overview: the engine's true state, the queue, the last hour's throughput, the newest failures. */
public final class OverviewPage {
  private static final int MINUTES = 60;
  private static final int FAILURES_SHOWN = 5;

  private final ExecutionMetrics metrics;
  private final ExecutionService service;
  private final Frames frames;
  private final Templates templates;
  private final Clock clock;

  public OverviewPage(ExecutionMetrics metrics, ExecutionService service, Frames frames, Templates templates,
      Clock clock) {
    this.metrics = metrics;
    this.service = service;
    this.frames = frames;
    this.templates = templates;
    this.clock = clock;
  }

  public void register(dev.stepwise.web.Api api) {
    api.page(HandlerType.GET, "/", Access.page(Permission.STATUS_READ), "The overview", this::show);
  }

  private void show(Context ctx) {
    Frame frame = frames.of(ctx, "Overview", "overview", "executions");
    ExecutionMetrics.Summary summary = metrics.summary();
    List<Execution> failures = frame.can(Permission.TEST_READ)
        ? service.list(new Executions.Filter(ExecutionStatus.FAILED, null, null), 0, FAILURES_SHOWN).items()
        : List.of();
    var parameters = Map.<String, Object>of("frame", frame, "summary", summary, "failures", failures,
        "chart", chart(summary.lastHour(), clock.instant()), "remote", metrics.remoteEnvironments());
    templates.render(ctx, Forms.fragment(ctx) ? "overview_live.jte" : "overview.jte",
        parameters);
  }

  /** Completed and failed executions per minute over the last hour, as uPlot's columns (JSON). */
  static String chart(List<Executions.Finished> lastHour, Instant now) {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    long[] minutes = new long[MINUTES];
    long[] completed = new long[MINUTES];
    long[] failed = new long[MINUTES];
    for (int i = 0; i < MINUTES; i++) minutes[i] = end.minus(MINUTES - 1 - i, ChronoUnit.MINUTES).getEpochSecond();
    for (Executions.Finished finished : lastHour) {
      long age = ChronoUnit.MINUTES.between(finished.finishedAt().truncatedTo(ChronoUnit.MINUTES), end);
      if (age < 0 || age >= MINUTES) continue;
      int slot = (int) (MINUTES - 1 - age);
      if (finished.status() == ExecutionStatus.COMPLETED) completed[slot]++;
      else failed[slot]++;
    }
    return new String(Json.write(Map.of("t", minutes, "completed", completed, "failed", failed)),
        StandardCharsets.UTF_8);
  }
}
