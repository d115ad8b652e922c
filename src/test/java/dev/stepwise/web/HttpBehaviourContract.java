package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every response shares: the envelope, request ids, limits, and the documents served. */
public abstract class HttpBehaviourContract extends ServerContract {

  @Test
  void unknown_routes_get_a_404_envelope() {
    for (String path : List.of("/api/v1/nothing-here", "/nothing-here", "/api/v2/health")) {
      var response = client.get(path, server.adminToken());
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
      assertThat(response.body().path("success").asBoolean(true)).isFalse();
    }
  }

  @Test
  void a_wrong_method_gets_a_405_envelope() {
    var response = client.send("PUT", "/api/v1/auth/login", null, "{}", "application/json");
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void an_oversized_body_gets_a_413_and_stores_nothing() throws Exception {
    var counts = Rows.count(server.database(), List.of("users"));
    String huge = "{\"username\":\"big\",\"password\":\"" + "x".repeat(100_000) + "\"}";
    var response = client.send("POST", "/api/v1/users", server.adminToken(), huge, "application/json");
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");

    // The same without a Content-Length (chunked upload).
    var chunked = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/api/v1/users"))
        .header("Authorization", "Bearer " + server.adminToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
        .build();
    var chunkedResponse = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(chunkedResponse.statusCode()).isEqualTo(413);
    assertThat(chunkedResponse.body()).contains("PAYLOAD_TOO_LARGE");
    assertThat(Rows.count(server.database(), List.of("users"))).isEqualTo(counts);
  }

  @Test
  void every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept() {
    assertThat(client.get("/api/v1/health", null).header("X-Request-Id")).matches("[0-9a-f]{12}");
    var kept = client.sendWithHeaders("GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "lb-42.abc"));
    assertThat(kept.header("X-Request-Id")).isEqualTo("lb-42.abc");
    var replaced = client.sendWithHeaders("GET", "/api/v1/health", null, null, Map.of("X-Request-Id", "bad id <script>"));
    assertThat(replaced.header("X-Request-Id")).matches("[0-9a-f]{12}");
  }

  @Test
  void health_reports_each_component_truthfully() {
    var response = client.get("/api/v1/health", null);
    assertThat(response.status()).isEqualTo(200);
    var data = response.data();
    assertThat(data.path("version").asText()).isNotBlank();
    assertThat(data.path("uptime_s").isNumber()).isTrue();
    var database = data.path("components").path("database");
    assertThat(database.path("status").asText()).isEqualTo("healthy");
    assertThat(database.path("dialect").asText()).isEqualTo(server.database().kind());
    var orchestrator = data.path("components").path("test_orchestrator");
    assertThat(orchestrator.path("running").asBoolean(false)).isTrue();
    assertThat(orchestrator.path("status").asText()).isEqualTo("healthy");
    for (String field : List.of("node_id", "workers", "queued", "running_executions", "waiting_approval", "last_dispatch_at")) {
      assertThat(orchestrator.has(field)).as(field).isTrue();
    }
    assertThat(data.path("components").path("event_bus").path("status").asText()).isEqualTo("healthy");
    assertThat(data.path("components").path("event_bus").has("subscribers")).isTrue();
    assertThat(data.path("status").asText()).isEqualTo("healthy");
  }

  @Test
  void metrics_are_served_in_prometheus_format_with_jvm_http_and_pool_meters() {
    client.get("/api/v1/health", null);
    var response = client.get("/metrics", null);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/plain");
    assertThat(response.text())
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/api/v1/health\"}")
        .contains("hikaricp_connections");
  }

  @Test
  void the_openapi_document_describes_every_route_with_its_permission() {
    ApiClient.Response response = client.get("/api/v1/openapi.json", null);
    assertThat(response.status()).isEqualTo(200);
    var paths = response.body().path("paths");
    assertThat(response.body().path("openapi").asText()).startsWith("3.");
    for (Api.Route route : server.app().http().routes()) {
      var operation = paths.path(route.path()).path(route.method().toLowerCase());
      assertThat(operation.isMissingNode()).as(route.method() + " " + route.path()).isFalse();
      assertThat(operation.path("summary").asText()).isNotBlank();
      if (route.access() instanceof Access.Requires required) {
        assertThat(operation.path("x-permission").asText()).isEqualTo(required.permission().wireName());
      }
    }
  }

  @Test
  void errors_never_leak_stack_traces() {
    var response = client.send("POST", "/api/v1/auth/login", null, "{\"username\": {\"$gt\": \"\"}}", "application/json");
    assertThat(response.status()).isBetween(400, 499);
    assertThat(response.text()).doesNotContain("com.fasterxml").doesNotContain("\tat ");
  }

  private ApiClient.Response sendBytes(String path, String token, byte[] body, String contentType) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + path)).header("Content-Type", contentType)
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    return new ApiClient.Response(response.statusCode(),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()), response.body(), response);
  }

  @Test
  void a_body_that_is_not_valid_utf8_is_a_400_naming_where_and_changes_nothing() throws Exception {
    String token = server.adminToken();
    var before = Rows.count(server.database(), List.of("executions", "test_cases", "users"));
    byte[] badJson = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, 'x', '"', '}'};
    byte[] badYaml = "name: x\nsteps: [{name: a, run: 'echo \u00ff'}]".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (var response : List.of(sendBytes("/api/v1/executions", token, badJson, "application/json"),
        sendBytes("/api/v1/executions", token, badYaml, "text/yaml"),
        sendBytes("/api/v1/tests", token, badJson, "application/json"),
        sendBytes("/api/v1/tests/generate-from-function", token, "function_name=f%FF&file_path=a.c".getBytes(),
            "application/x-www-form-urlencoded"))) {
      assertThat(response.status()).as(response.text()).isEqualTo(400);
      assertThat(response.body().path("error").path("message").asText()).contains("not valid UTF-8");
    }
    assertThat(Rows.count(server.database(), List.of("executions", "test_cases", "users"))).isEqualTo(before);
  }

  @Test
  void a_document_nested_too_deeply_is_refused_in_words_that_name_no_library() {
    String token = server.adminToken();
    String deep = "[".repeat(2000) + "]".repeat(2000);
    var json = client.send("POST", "/api/v1/executions", token, deep, "application/json");
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.body().path("error").path("message").asText()).isEqualTo("the document is nested too deeply (at most 1000 levels)");
    var yaml = client.send("POST", "/api/v1/executions", token, "name: " + "[".repeat(2000), "text/yaml");
    assertThat(yaml.status()).isIn(400, 422);
    for (var response : List.of(json, yaml)) {
      assertThat(response.text()).doesNotContain("StreamReadConstraints").doesNotContain("jackson")
          .doesNotContain("snakeyaml").doesNotContain("Exception");
    }
  }

  @Test
  void a_step_number_that_is_not_a_number_is_refused_saying_what_it_must_be() {
    var response = client.post("/api/v1/agent/1/approve-step?step_number=abc", server.adminToken(), Map.of("approve", true));
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.body().path("error").path("details").path("fields").path("step_number").asText())
        .contains("must be a positive integer");
  }
}
