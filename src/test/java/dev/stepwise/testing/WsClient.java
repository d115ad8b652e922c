package dev.stepwise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.web.Json;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A connected client that queues every message it receives. */
public final class WsClient implements WebSocket.Listener {
  public final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  public final CompletableFuture<String> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  public WebSocket socket;

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(Json.mapper().valueToTree(Json.parse(partial.toString().getBytes(), Map.class)));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode + " " + reason);
    return null;
  }

  public JsonNode next() throws InterruptedException {
    JsonNode message = messages.poll(30, TimeUnit.SECONDS);
    assertThat(message).as("a message within 30 s").isNotNull();
    return message;
  }

  public JsonNode nextOfType(String type) throws InterruptedException {
    while (true) {
      JsonNode message = next();
      if (message.path("type").asText().equals(type)) return message;
    }
  }

  /** Connects to a server's gateway; {@code builder} carries the credentials. */
  public static WsClient connect(int port, WebSocket.Builder builder) {
    WsClient client = new WsClient();
    client.socket = builder.connectTimeout(java.time.Duration.ofSeconds(10))
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), client).join();
    return client;
  }

  public void send(Object message) {
    socket.sendText(new String(Json.write(message)), true).join();
  }
}
