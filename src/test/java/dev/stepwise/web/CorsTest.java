package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Browsers on another origin may call the API only when the admin allows them
 * ({@code http.cors_origins}): preflights answered, a listed origin with credentials, {@code *}
 * never with credentials, and no CORS headers at all by default.
 */
class CorsTest {
  private static ApiClient.Response preflight(ApiClient client, String origin) {
    return client.sendWithHeaders("OPTIONS", "/api/v1/executions", null, null,
        Map.of("Origin", origin, "Access-Control-Request-Method", "POST",
            "Access-Control-Request-Headers", "authorization, content-type"));
  }

  @Test
  void a_listed_origin_gets_its_preflight_answered_and_may_send_credentials() {
    try (var server = TestServer.builder(TestDatabase.sqlite()).corsOrigins(Set.of("https://ops.example.com")).start()) {
      ApiClient client = server.client();
      var allowed = preflight(client, "https://ops.example.com");
      assertThat(allowed.status()).isEqualTo(204);
      assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
      assertThat(allowed.header("Access-Control-Allow-Credentials")).isEqualTo("true");
      assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
      assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Content-Type");
      assertThat(allowed.header("Vary")).contains("Origin");

      var refused = preflight(client, "https://evil.example.net");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
      assertThat(refused.body().path("error").path("message").asText()).contains("http.cors_origins");

      var read = client.sendWithHeaders("GET", "/api/v1/health", null, null, Map.of("Origin", "https://ops.example.com"));
      assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
      assertThat(read.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
      var foreign = client.sendWithHeaders("GET", "/api/v1/health", null, null, Map.of("Origin", "https://evil.example.net"));
      assertThat(foreign.status()).isEqualTo(200);
      assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }
  }

  @Test
  void any_origin_is_allowed_only_without_credentials_and_none_by_default() {
    try (var open = TestServer.builder(TestDatabase.sqlite()).corsOrigins(Set.of("*")).start()) {
      var answer = preflight(open.client(), "https://anyone.example.org");
      assertThat(answer.status()).isEqualTo(204);
      assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(answer.header("Access-Control-Allow-Credentials")).isNull();
    }
    try (var closed = TestServer.builder(TestDatabase.sqlite()).start()) {
      var answer = preflight(closed.client(), "https://ops.example.com");
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
    }
  }
}
