package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.web.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenCode's event stream ({@code GET /global/event}), read once for all sessions and handed to
 * whoever follows a session. When the stream breaks while OpenCode runs it is opened again, and
 * followers are told, so that they check where their session stands instead of waiting for an
 * event they may have missed. Thread-safe.
 */
final class OpenCodeEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenCodeEvents.class);

  /** One event of one session; {@code type} {@code stream.reconnected} says that events may have been missed. */
  record Event(String type, JsonNode properties) {
    static final String RECONNECTED = "stream.reconnected";
  }

  private final OpenCodeServer.Endpoint endpoint;
  private final BooleanSupplier serverRunning;
  private final Map<String, BlockingQueue<Event>> followers = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private volatile boolean closed;
  private volatile InputStream body;
  private Thread reader;

  OpenCodeEvents(OpenCodeServer.Endpoint endpoint, BooleanSupplier serverRunning) {
    this.endpoint = endpoint;
    this.serverRunning = serverRunning;
  }

  void start() {
    reader = Thread.ofVirtual().name("opencode-events").start(this::run);
  }

  /** Follows a session's events until the returned queue is given back to {@link #unfollow}. */
  BlockingQueue<Event> follow(String sessionId) {
    BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    followers.put(sessionId, queue);
    return queue;
  }

  void unfollow(String sessionId, BlockingQueue<Event> queue) {
    followers.remove(sessionId, queue);
  }

  private void run() {
    boolean first = true;
    while (!closed && serverRunning.getAsBoolean()) {
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/global/event"))
            .header("Authorization", endpoint.authorization()).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) throw new IOException("the event stream answered " + response.statusCode());
        body = response.body();
        if (!first) tellAll(new Event(Event.RECONNECTED, Json.mapper().createObjectNode()));
        first = false;
        read(response.body());
      } catch (IOException e) {
        if (!closed) log.debug("OpenCode's event stream broke: {}", e.toString());
      } catch (InterruptedException e) {
        return;
      }
      if (closed) return;
      tellAll(new Event(Event.RECONNECTED, Json.mapper().createObjectNode()));
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void read(InputStream stream) throws IOException {
    try (var lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!line.startsWith("data:")) continue;
        JsonNode event;
        try {
          event = Json.mapper().readTree(line.substring(5).strip());
        } catch (IOException e) {
          continue; // not an event of ours to understand
        }
        JsonNode payload = event.has("payload") ? event.get("payload") : event;
        String type = payload.path("type").asText("");
        JsonNode properties = payload.path("properties");
        String session = sessionOf(properties);
        if (session == null) continue;
        BlockingQueue<Event> queue = followers.get(session);
        if (queue != null) queue.add(new Event(type, properties));
      }
    }
  }

  private void tellAll(Event event) {
    followers.values().forEach(queue -> queue.add(event));
  }

  /** The session an event is about: named at the top, or on its part or message. */
  static String sessionOf(JsonNode properties) {
    for (JsonNode candidate : new JsonNode[] {properties.path("sessionID"), properties.path("part").path("sessionID"),
        properties.path("info").path("sessionID")}) {
      if (candidate.isTextual()) return candidate.asText();
    }
    return null;
  }

  @Override
  public void close() {
    closed = true;
    InputStream open = body;
    if (reader != null) reader.interrupt();
    // closing a stream whose connection broke may wait: never make the caller (a phase starting OpenCode) wait for it
    if (open != null) {
      Thread.ofVirtual().name("opencode-events-close").start(() -> {
        try {
          open.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      });
    }
  }
}
