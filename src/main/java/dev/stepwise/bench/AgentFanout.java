package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.App;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many WebSocket clients, each starting its own agent run with {@code start_agent} (a scripted
 * agent with one real shell call): checks that each gets every agent event of its own run, in
 * order, and none of another run's, and measures commit→client latency of those events.
 */
final class AgentFanout {
  static final String AGENT = "bench-agent";
  private static final List<String> EXPECTED = List.of("agent_started", "agent_thinking", "tool_executing",
      "tool_completed", "agent_thinking", "agent_completed");
  /** What a measured round prints ({@link FanoutRound#print}). */
  private static final String SUMMARY = "Agent runs over WebSocket (after a warm-up round): %d sockets connected and "
      + "had start_agent accepted in %.2f s; %d runs (one shell call each) ran in %.2f s%n  %d agent events "
      + "delivered; over both rounds, sockets missing or reordering one of their own: %d, events of another run "
      + "delivered: %d%n  commit→client latency (1 ms resolution): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n";

  private AgentFanout() {}

  /** Writes the scripted agent the measurement runs; before the server starts. */
  static void writeAgent(Path dataDir) throws IOException {
    Files.createDirectories(dataDir.resolve("agents"));
    Files.writeString(dataDir.resolve("agents").resolve(AGENT + ".yaml"), """
        name: %s
        description: one shell call, then a reply (for the fan-out benchmark)
        model:
          provider: scripted
          script:
            - thinking: I will run one command.
              tool: {name: shell, arguments: {command: "echo fan-out"}}
            - thinking: That is all.
              reply: Done.
        tools: [shell]
        approval: {shell: never}
        """.formatted(AGENT));
  }

  /** One socket: its run and the agent events it received. */
  private static final class Starter extends MessageListener {
    final CompletableFuture<Long> accepted = new CompletableFuture<>();
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    void received(JsonNode message, String type, Instant arrived) {
      if (type.equals("agent_run_accepted")) accepted.complete(message.path("run_id").asLong());
      else if (type.equals("error")) accepted.completeExceptionally(new IllegalStateException(message.toString()));
      else if (type.startsWith("agent_") || type.startsWith("tool_")) {
        keep(message, arrived);
        if (type.equals("agent_completed") || type.equals("agent_error")) done.countDown();
      }
    }
  }

  /** Measures a round after a warm-up round of the same size ({@link FanoutRound#afterWarmUp}). */
  static void run(App app, BenchClient client, int sockets) throws Exception {
    FanoutRound.afterWarmUp(() -> round(app, client, sockets)).print(SUMMARY, sockets);
  }

  private static FanoutRound round(App app, BenchClient client, int sockets) throws Exception {
    app.orchestrator().pause();
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(client.baseUrl().replace("http://", "ws://") + "/api/v1/ws");
    List<Starter> starters = new ArrayList<>();
    List<WebSocket> open = new ArrayList<>();
    long connectStart = System.nanoTime();
    for (int i = 0; i < sockets; i++) {
      Starter starter = new Starter();
      WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + client.token())
          .buildAsync(uri, starter).get(30, TimeUnit.SECONDS);
      socket.sendText("{\"type\":\"start_agent\",\"agent\":\"" + AGENT + "\",\"message\":\"run " + i + "\"}", true).get();
      starters.add(starter);
      open.add(socket);
    }
    List<Long> runs = new ArrayList<>();
    for (Starter starter : starters) runs.add(starter.accepted.get(60, TimeUnit.SECONDS));
    double acceptSeconds = (System.nanoTime() - connectStart) / 1e9;
    long start = System.nanoTime();
    app.orchestrator().resume();
    for (Starter starter : starters) {
      if (!starter.done.await(300, TimeUnit.SECONDS)) throw new IllegalStateException("a socket never saw its run end");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(500); // let any stray event that should not come arrive
    int wrong = 0;
    int incomplete = 0;
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < starters.size(); i++) {
      long run = runs.get(i);
      Starter starter = starters.get(i);
      wrong += (int) starter.events.stream().filter(e -> e.path("data").path("run_id").asLong() != run).count();
      if (!starter.events.stream().map(e -> e.path("type").asText()).toList().equals(EXPECTED)) incomplete++;
      latencies.addAll(starter.latenciesMs);
    }
    FanoutRound.close(http, open);
    return new FanoutRound(acceptSeconds, seconds, latencies, incomplete, wrong);
  }
}
