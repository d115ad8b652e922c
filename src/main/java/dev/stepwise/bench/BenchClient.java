package dev.stepwise.bench;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** HTTP and SSE access to the server under test, recording when each execution was seen to start. */
final class BenchClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<Long, Long> startedAtNanos = new ConcurrentHashMap<>();
  private InputStream stream;

  BenchClient(String baseUrl, String username, String password) throws Exception {
    this.baseUrl = baseUrl;
    JsonNode login = send("POST", "/api/v1/auth/login", JSON.writeValueAsString(Map.of("username", username, "password", password)),
        "application/json", null);
    this.token = login.path("data").path("access_token").asText();
  }

  /** Listens to the execution lifecycle, noting the moment each {@code execution.started} arrives. */
  void listen() throws Exception {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events/stream?topics=executions"))
        .header("Authorization", "Bearer " + token).build();
    stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread.ofPlatform().daemon().start(() -> {
      try (var lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("event: execution.started")) {
            long now = System.nanoTime();
            String data = lines.readLine();
            long id = JSON.readTree(data.substring(6)).path("data").path("execution_id").asLong();
            startedAtNanos.put(id, now);
          }
        }
      } catch (IOException ignored) {
        // closed
      }
    });
  }

  String token() {
    return token;
  }

  String baseUrl() {
    return baseUrl;
  }

  Long startedAtNanos(long id) {
    return startedAtNanos.get(id);
  }

  long submit(String yaml) throws Exception {
    JsonNode response = send("POST", "/api/v1/executions", yaml, "text/yaml", token);
    if (!response.path("success").asBoolean()) throw new IllegalStateException("submit failed: " + response);
    return response.path("data").path("id").asLong();
  }

  /** Queues every plan (YAML) in one request, {@code {"plans": [...]}}; returns their ids. */
  java.util.List<Long> submitAll(java.util.List<String> yamlPlans) throws Exception {
    var plans = yamlPlans.stream().map(yaml -> Map.of("plan_yaml", yaml)).toList();
    JsonNode data = call("POST", "/api/v1/executions", Map.of("plans", plans));
    var ids = new java.util.ArrayList<Long>();
    data.path("execution_ids").forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  /** {@code data} of a JSON request as the admin; fails on an error envelope. */
  JsonNode call(String method, String path, Object body) throws Exception {
    JsonNode response = send(method, path, body == null ? null : JSON.writeValueAsString(body),
        body == null ? null : "application/json", token);
    if (!response.path("success").asBoolean()) throw new IllegalStateException(method + " " + path + " failed: " + response);
    return response.path("data");
  }

  JsonNode metrics() throws Exception {
    return send("GET", "/api/v1/execution/metrics", null, null, token).path("data");
  }

  private JsonNode send(String method, String path, String body, String contentType, String bearer) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    if (contentType != null) request.header("Content-Type", contentType);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Stops listening: a drain is measured the way the peers are, with nobody following it live. */
  void stopListening() throws IOException {
    if (stream != null) stream.close();
    stream = null;
  }

  @Override
  public void close() throws IOException {
    stopListening();
  }
}
