package dev.stepwise.bench;

import dev.stepwise.app.App;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast the engine drains a queue, the way the peers are measured: executions are queued with
 * dispatching paused (in bulk, {@value #PER_REQUEST} per request), then the engine is let go and
 * timed until the last one's {@code execution.completed} is published. A warm-up round runs first,
 * since a server runs warm.
 */
final class DrainBench {
  static final int PER_REQUEST = 1000;
  private static final Duration LONGEST_DRAIN = Duration.ofMinutes(15);
  static final int LARGEST_WARM_UP = 5000;

  private final App app;
  private final BenchClient client;
  private final EventCounter finished;

  DrainBench(App app, BenchClient client, EventCounter finished) {
    this.app = app;
    this.client = client;
    this.finished = finished;
  }

  /** Executions per second of each round, and their median. */
  record Result(String label, int count, List<Double> perSecond) {
    double median() {
      return Stats.median(perSecond);
    }

    void print(String unit, int per) {
      System.out.printf(Locale.ROOT, "drain, %s, %,d queued: median %,.0f %s/s (rounds: %s)%n", label, count,
          median() * per, unit, perSecond.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r * per)).toList());
    }
  }

  /** A drain of {@code count} (at most {@value #LARGEST_WARM_UP}) that is not reported. */
  void warmUp(int count, String plan) throws Exception {
    drainOnce(Math.min(count, LARGEST_WARM_UP), plan);
  }

  Result drain(String label, int count, String plan, int rounds) throws Exception {
    List<Double> rates = new ArrayList<>();
    for (int round = 0; round < rounds; round++) rates.add(drainOnce(count, plan));
    return new Result(label, count, rates);
  }

  /** Executions per second of one drain of {@code count}. */
  private double drainOnce(int count, String plan) throws Exception {
    long before = finished.count();
    app.orchestrator().pause();
    try {
      queue(client, count, plan);
    } catch (Exception e) {
      app.orchestrator().resume();
      throw e;
    }
    long start = System.nanoTime();
    app.orchestrator().resume();
    finished.awaitAtLeast(before + count, LONGEST_DRAIN);
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** Submits {@code count} copies of {@code plan} in bulk requests, four at a time. */
  static void queue(BenchClient client, int count, String plan) throws Exception {
    try (var pool = Executors.newFixedThreadPool(4)) {
      List<Future<List<Long>>> requests = new ArrayList<>();
      for (int from = 0; from < count; from += PER_REQUEST) {
        List<String> plans = Collections.nCopies(Math.min(PER_REQUEST, count - from), plan);
        requests.add(pool.submit(() -> client.submitAll(plans)));
      }
      for (Future<List<Long>> request : requests) request.get();
    }
  }

  /** Submit and run at once, one plan per request from eight clients: what the HTTP front adds. */
  void endToEnd(int count, String plan) throws Exception {
    long before = finished.count();
    long start = System.nanoTime();
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) futures.add(pool.submit(() -> client.submit(plan)));
      for (Future<Long> future : futures) future.get();
    }
    finished.awaitAtLeast(before + count, LONGEST_DRAIN);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "end to end over HTTP (8 clients, one plan per request, single-step noop): "
        + "%,d in %.2f s = %,.0f executions/s%n", count, seconds, count / seconds);
  }
}
