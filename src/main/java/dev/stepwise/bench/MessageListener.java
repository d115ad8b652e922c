package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A benchmark socket: joins frames into messages, hands each to {@link #received}, and keeps the
 * events it is told to keep with their commit→arrival latency. A malformed frame is dropped and
 * counts as a missing event.
 */
abstract class MessageListener implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();

  final ConcurrentLinkedQueue<JsonNode> events = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Double> latenciesMs = new ConcurrentLinkedQueue<>();
  private final StringBuilder partial = new StringBuilder();

  /** One whole message, with the moment it arrived. */
  abstract void received(JsonNode message, String type, Instant arrived);

  /** Keeps an event and the time from its commit (its timestamp) to {@code arrived}. */
  void keep(JsonNode event, Instant arrived) {
    events.add(event);
    latenciesMs.add(Duration.between(Instant.parse(event.path("timestamp").asText()), arrived).toNanos() / 1e6);
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      Instant now = Instant.now();
      try {
        JsonNode message = JSON.readTree(partial.toString());
        received(message, message.path("type").asText(), now);
      } catch (Exception e) {
        // a malformed frame counts as a missing event
      }
      partial.setLength(0);
    }
    socket.request(1);
    return null;
  }
}
