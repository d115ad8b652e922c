package dev.stepwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real SSE client that records the events it receives, for assertions. Thread-safe. */
public final class SseRecorder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One received event. */
  public record Received(long id, String type, JsonNode data) {}

  private final List<Received> events = new ArrayList<>();
  private final InputStream body;
  private final Thread reader;
  private final int status;

  private SseRecorder(InputStream body, int status) {
    this.body = body;
    this.status = status;
    this.reader = Thread.ofVirtual().start(this::read);
  }

  /** Opens {@code path} with the given headers (e.g. {@code Last-Event-ID}). */
  public static SseRecorder open(String baseUrl, String path, String token, Map<String, String> headers) {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
    headers.forEach(request::header);
    try {
      HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new SseRecorder(response.body(), response.statusCode());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return status;
  }

  private void read() {
    try (var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("id: ")) id = line.substring(4);
        else if (line.startsWith("event: ")) type = line.substring(7);
        else if (line.startsWith("data: ") && type != null) {
          JsonNode event = JSON.readTree(line.substring(6));
          synchronized (events) {
            // an event carries its payload in data; an error frame is the payload itself
            events.add(new Received(id == null ? -1 : Long.parseLong(id), type, event.has("data") ? event.get("data") : event));
          }
        } else if (line.isEmpty()) {
          id = null;
          type = null;
        }
      }
    } catch (IOException ignored) {
      // closed
    }
  }

  public List<Received> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  public List<String> types() {
    return events().stream().map(Received::type).toList();
  }

  /** Whether the server ended the stream (the reader saw its end). */
  public boolean ended() {
    return !reader.isAlive();
  }

  public boolean has(String type) {
    return types().contains(type);
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // already closed
    }
    reader.interrupt();
  }
}
