package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Coding tasks under load: how long {@code POST /tasks/{id}/execute} takes while 20 tasks are
 * running (their agents waiting on the model), and what Stepwise adds to each phase of a task run
 * beyond the agent's own time (for OpenCode, the time OpenCode itself reports from the prompt to
 * its answer). The model is {@link BenchModel}: it answers at once.
 */
final class TaskBench {
  private static final int RUNNING = 20;

  private final BenchClient client;
  private final BenchModel model;
  private final Path repository;
  private final String agent;

  TaskBench(BenchClient client, BenchModel model, Path repository, String agent) {
    this.client = client;
    this.model = model;
    this.repository = repository;
    this.agent = agent;
  }

  /** A repository with one commit under {@code root}, for the tasks to work on. */
  static Path repository(Path root) throws Exception {
    Path repository = Files.createDirectories(root.resolve("bench-app"));
    Files.writeString(repository.resolve("README.md"), "# bench\n");
    for (List<String> git : List.of(List.of("init", "-q", "-b", "main"), List.of("add", "-A"),
        List.of("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "start"))) {
      var command = new ArrayList<>(List.of("git", "-C", repository.toString()));
      command.addAll(git);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (process.waitFor() != 0) throw new IllegalStateException("git " + git + " failed");
    }
    return repository;
  }

  void run(int phaseRuns, int samples) throws Exception {
    phases(phaseRuns);
    executeUnderLoad(samples);
  }

  /** Whole runs one after another on an idle server: each phase's time, and the agent's part of it. */
  private void phases(int runs) throws Exception {
    Map<String, List<Double>> step = new LinkedHashMap<>();
    Map<String, List<Double>> overhead = new LinkedHashMap<>();
    for (int i = 0; i < runs + 1; i++) { // the first run warms up (and starts OpenCode): not counted
      long id = create("phase-" + i, "none");
      JsonNode started = client.call("POST", "/api/v1/tasks/" + id + "/execute", null);
      awaitStatus(id, "done", Duration.ofMinutes(5));
      if (i == 0) continue;
      JsonNode execution = client.call("GET", "/api/v1/executions/" + started.path("execution_id").asLong(), null);
      List<Long> agentMillis = new ArrayList<>();
      for (JsonNode entry : client.call("GET", "/api/v1/sessions/" + started.path("session_id").asLong()
          + "/activity?limit=2000", null).path("activity")) {
        if (entry.path("data").has("agent_ms")) agentMillis.add(entry.path("data").path("agent_ms").asLong());
      }
      int phase = 0;
      for (JsonNode s : execution.path("steps")) {
        double millis = Duration.between(Instant.parse(s.path("started_at").asText()),
            Instant.parse(s.path("finished_at").asText())).toMillis();
        step.computeIfAbsent(s.path("name").asText(), k -> new ArrayList<>()).add(millis);
        if (phase < agentMillis.size()) {
          overhead.computeIfAbsent(s.path("name").asText(), k -> new ArrayList<>()).add(millis - agentMillis.get(phase));
        }
        phase++;
      }
    }
    System.out.printf(Locale.ROOT, "task phases with the %s agent, %d runs (model answers at once), median per phase:%n",
        agent, runs);
    step.forEach((name, times) -> {
      Stats total = Stats.of(times);
      List<Double> added = overhead.get(name);
      System.out.printf(Locale.ROOT, "  %-12s %6.0f ms%s%n", name, total.p50(), added == null ? ""
          : String.format(Locale.ROOT, ", of which OpenCode %4.0f ms and Stepwise %4.0f ms (p95 %4.0f ms)",
              total.p50() - Stats.of(added).p50(), Stats.of(added).p50(), Stats.of(added).p95()));
    });
  }

  /** {@code execute} round trips while {@value #RUNNING} tasks run, their agents held waiting on the model. */
  private void executeUnderLoad(int samples) throws Exception {
    List<Long> busy = new ArrayList<>();
    for (int i = 0; i < RUNNING; i++) {
      long id = create("busy-" + i, "none");
      client.call("POST", "/api/v1/tasks/" + id + "/execute", null);
      busy.add(id);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (model.held() < RUNNING) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("only " + model.held() + " tasks reached the model");
      Thread.sleep(50);
    }
    List<Double> latencies = new ArrayList<>();
    List<Long> measured = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      // the measured runs plan with the native agent: what is measured is execute itself, and OpenCode stays
      // with the 20 it serves
      long id = create("measured-" + i, "human", "native");
      long start = System.nanoTime();
      client.call("POST", "/api/v1/tasks/" + id + "/execute", null);
      latencies.add((System.nanoTime() - start) / 1e6);
      measured.add(id);
      Thread.sleep(10);
    }
    Stats stats = Stats.of(latencies);
    System.out.printf(Locale.ROOT, "POST /tasks/{id}/execute → 202 with %d tasks running (agents waiting on the model), "
        + "%d samples:%n  p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", RUNNING, stats.count(), stats.p50(),
        stats.p95(), stats.p99(), stats.max());
    model.release();
    for (long id : busy) awaitStatus(id, "done", Duration.ofMinutes(5));
    // the measured runs wait for their plan reviews (or are still planning): end them before the server stops
    for (long id : measured) {
      String status = client.call("GET", "/api/v1/tasks/" + id, null).path("status").asText();
      if (status.equals("planning") || status.equals("planning_review")) {
        client.call("POST", "/api/v1/tasks/" + id + "/cancel", null);
      }
    }
    for (long id : measured) awaitEnded(id);
  }

  private long create(String title, String planReview) throws Exception {
    return create(title, planReview, agent);
  }

  private long create(String title, String planReview, String taskAgent) throws Exception {
    return client.call("POST", "/api/v1/tasks", Map.of("title", title, "repository_path", repository.toString(),
        "agent", taskAgent, "review", Map.of("plan", planReview, "merge", "none"))).path("id").asLong();
  }

  private void awaitEnded(long id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (client.call("GET", "/api/v1/tasks/" + id, null).path("status").asText().matches("planning|planning_review")) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("task " + id + " did not stop");
      Thread.sleep(20);
    }
  }

  private void awaitStatus(long id, String wanted, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      JsonNode task = client.call("GET", "/api/v1/tasks/" + id, null);
      String status = task.path("status").asText();
      if (status.equals(wanted)) return;
      if (status.equals("failed") || status.equals("cancelled")) {
        throw new IllegalStateException("task " + id + " ended " + status + ": " + task.path("error").asText());
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("task " + id + " is still " + status);
      Thread.sleep(20);
    }
  }
}
