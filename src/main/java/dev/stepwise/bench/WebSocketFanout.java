package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.App;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many WebSocket clients, each following its own execution: checks that each gets every event of
 * its own execution and none of the others', and measures the time from an event's commit (its
 * timestamp) to its arrival at the client.
 */
final class WebSocketFanout {
  /** What a single-step noop execution emits once it is followed (it was queued before). */
  private static final List<String> EXPECTED = List.of("execution.started", "step.started", "step.completed",
      "execution.completed");
  /** What a measured round prints ({@link FanoutRound#print}). */
  private static final String SUMMARY = "WebSocket fan-out (after a warm-up round): %d sockets connected and "
      + "subscribed in %.2f s; %d executions, one per socket, ran in %.2f s%n  %d events delivered; over both "
      + "rounds, sockets missing or reordering one of their own: %d, events delivered to a socket that did not "
      + "follow them: %d%n  commit→client latency (1 ms resolution): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n";

  private WebSocketFanout() {}

  /** One socket: the events of the execution it follows. */
  private static final class Follower extends MessageListener {
    final CountDownLatch done = new CountDownLatch(1);
    volatile CompletableFuture<Void> pong = new CompletableFuture<>();

    @Override
    void received(JsonNode message, String type, Instant arrived) {
      if (type.equals("pong")) {
        pong.complete(null);
      } else if (message.has("id")) {
        keep(message, arrived);
        if (type.equals("execution.completed")) done.countDown();
      }
    }
  }

  /** Measures a round after a warm-up round of the same size ({@link FanoutRound#afterWarmUp}). */
  static void run(App app, BenchClient client, int sockets) throws Exception {
    FanoutRound.afterWarmUp(() -> round(app, client, sockets)).print(SUMMARY, sockets);
  }

  private static FanoutRound round(App app, BenchClient client, int sockets) throws Exception {
    app.orchestrator().pause();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < sockets; i++) ids.add(client.submit("name: fanout\nsteps: [{name: a, type: noop}]"));
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(client.baseUrl().replace("http://", "ws://") + "/api/v1/ws");
    List<Follower> followers = new ArrayList<>();
    List<WebSocket> open = new ArrayList<>();
    long connectStart = System.nanoTime();
    for (long id : ids) {
      Follower follower = new Follower();
      WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + client.token())
          .buildAsync(uri, follower).get(30, TimeUnit.SECONDS);
      socket.sendText("{\"type\":\"subscribe\",\"topics\":[\"execution:" + id + "\"]}", true).get();
      socket.sendText("{\"type\":\"ping\"}", true).get();
      followers.add(follower);
      open.add(socket);
    }
    for (Follower follower : followers) follower.pong.get(30, TimeUnit.SECONDS);
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    long start = System.nanoTime();
    app.orchestrator().resume();
    for (Follower follower : followers) {
      if (!follower.done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("a socket never saw its execution end");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(500); // let any stray event that should not come arrive
    int wrong = 0;
    int incomplete = 0;
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < followers.size(); i++) {
      String topic = "execution:" + ids.get(i);
      Follower follower = followers.get(i);
      List<String> types = follower.events.stream().map(e -> e.path("type").asText()).toList();
      wrong += (int) follower.events.stream().filter(e -> !e.path("topic").asText().equals(topic)).count();
      if (!types.equals(EXPECTED)) incomplete++;
      latencies.addAll(follower.latenciesMs);
    }
    FanoutRound.close(http, open);
    return new FanoutRound(connectSeconds, seconds, latencies, incomplete, wrong);
  }
}
