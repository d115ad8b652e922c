package dev.stepwise.bench;

import dev.stepwise.app.App;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * How fast the dashboard's heaviest pages render: the executions list with many executions in
 * the store, and an execution whose step printed 10,000 lines; and how many bytes of scripts and
 * styles a first visit loads. Times are as a client on the same machine sees them (loopback HTTP
 * included), so they bound the server's own time from above.
 */
final class DashboardBench {
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");
  private static final int WARM_UP = 20;

  private final App app;
  private final BenchClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DashboardBench(App app, BenchClient client) {
    this.app = app;
    this.client = client;
  }

  void run(int executions, int samples) throws Exception {
    long logged = client.submit("name: ten-thousand-lines\nsteps: [{name: print, run: \"seq 1 10000 | sed 's/^/line /'\"}]");
    while (!page("/executions/" + logged).contains("id=\"execution-status\">completed")) Thread.sleep(100);
    app.orchestrator().pause();
    long start = System.nanoTime();
    submitConcurrently(executions);
    System.out.printf(Locale.ROOT, "dashboard: %d executions queued in %.0f s%n", executions,
        (System.nanoTime() - start) / 1e9);
    report("executions page (50 newest of " + executions + ")", "/executions", samples);
    report("executions page, filtered by a name no execution has", "/executions?name=no-such-name", samples / 4);
    report("execution page with a 10,000-line log (last 1,000 lines shown)", "/executions/" + logged, samples);
    firstVisit("/executions");
    firstVisit("/");
    app.orchestrator().resume();
  }

  private void report(String label, String path, int samples) throws Exception {
    for (int i = 0; i < WARM_UP; i++) page(path);
    List<Double> times = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      bytes = page(path).length();
      times.add((System.nanoTime() - start) / 1e6);
    }
    Stats stats = Stats.of(times);
    System.out.printf(Locale.ROOT, "%s: median %.1f ms, p95 %.1f ms, %d samples, %d KB of HTML%n", label,
        stats.p50(), stats.p95(), stats.count(), bytes / 1024);
  }

  /** The scripts and styles a browser fetches the first time it opens {@code path}, as sent and gzipped on the wire. */
  private void firstVisit(String path) throws Exception {
    Set<String> assets = new LinkedHashSet<>();
    var matcher = ASSET.matcher(page(path));
    while (matcher.find()) assets.add(matcher.group(1));
    long total = 0;
    long wire = 0;
    var sizes = new ArrayList<String>();
    for (String asset : assets) {
      int size = page(asset).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      int gzipped = gzipped(asset);
      total += size;
      wire += gzipped;
      sizes.add(asset.substring("/assets/".length()) + " " + size / 1024 + "/" + gzipped / 1024 + " KB");
    }
    System.out.printf(Locale.ROOT, "first visit to %s loads %d KB of JS and CSS, %d KB gzipped on the wire: %s%n",
        path, total / 1024, wire / 1024, String.join(", ", sizes));
  }

  private int gzipped(String path) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + path)).header("Accept-Encoding", "gzip").build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  private String page(String path) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + path))
        .header("Cookie", "stepwise_session=" + client.token()).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  private void submitConcurrently(int count) throws Exception {
    String plan = "name: bench-page\nsteps: [{name: a, type: noop}]";
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) futures.add(pool.submit(() -> client.submit(plan)));
      for (Future<Long> future : futures) future.get();
    }
  }
}
