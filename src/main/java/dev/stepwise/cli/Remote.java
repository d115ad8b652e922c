package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.web.ApiError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A Stepwise server as the command line talks to it: JSON requests and event streams. */
final class Remote {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Remote(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  String url() {
    return url;
  }

  /** Sends a request and returns {@code data}; an error envelope becomes an {@link ApiError}. */
  JsonNode call(String method, String path, String body, String contentType) {
    var request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
    if (token != null) request.header("Authorization", "Bearer " + token);
    if (contentType != null) request.header("Content-Type", contentType);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode envelope = JSON.readTree(response.body());
      if (!envelope.path("success").asBoolean(false)) {
        JsonNode error = envelope.path("error");
        JsonNode fields = error.path("details").path("fields");
        throw new ApiError(response.statusCode(), error.path("code").asText("ERROR"),
            error.path("message").asText(response.body()), fields.isMissingNode() ? Map.of() : Map.of("fields", fields.toString()));
      }
      return envelope.path("data");
    } catch (ConnectException e) {
      throw new IllegalStateException("cannot reach the Stepwise server at " + url + "; is it running?");
    } catch (IOException e) {
      throw new IllegalStateException("talking to " + url + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** A value as a JSON tree, as the server would send it. */
  JsonNode jsonTree(Object value) {
    return JSON.valueToTree(value);
  }

  String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the server-sent events of {@code path} and hands each event to {@code until}, stopping
   * when it returns true. Reconnects after a dropped connection from the last event id.
   */
  void follow(String path, Predicate<JsonNode> until) {
    long lastId = 0;
    while (true) {
      var request = HttpRequest.newBuilder(URI.create(url + path + (path.contains("?") ? "&" : "?") + "since=" + lastId))
          .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
      try {
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          try (InputStream body = response.body()) {
            JsonNode error = JSON.readTree(body).path("error");
            throw new IllegalStateException(error.path("message").asText("the event stream answered " + response.statusCode()));
          }
        }
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (!line.startsWith("data: ")) continue;
            JsonNode event = JSON.readTree(line.substring(6));
            lastId = event.path("id").asLong(lastId);
            if (until.test(event)) return;
          }
        }
      } catch (ConnectException e) {
        throw new IllegalStateException("cannot reach the Stepwise server at " + url + "; is it running?");
      } catch (IOException e) {
        // dropped: resume from the last event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
