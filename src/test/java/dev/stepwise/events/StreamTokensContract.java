package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.auth.JwtTokens;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestServer;
import dev.stepwise.testing.WsClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long-lived connections keep to their token: an SSE stream ends, with an {@code error} event,
 * when its token expires, and both an SSE stream and a WebSocket end at once when this node revokes
 * their token or disables their user. Both databases.
 */
public abstract class StreamTokensContract extends ServerContract {
  private static String tokenExpiringIn(Duration left) {
    Duration ttl = Duration.ofMinutes(1);
    var issuedAt = Clock.fixed(Instant.now().minus(ttl).plus(left), ZoneOffset.UTC);
    return new JwtTokens(TestServer.SIGNING_KEY, ttl, issuedAt).issueSession(1).token();
  }

  @Test
  void an_sse_stream_ends_with_an_error_event_when_its_token_expires_even_while_events_keep_coming() {
    String admin = server.adminToken();
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=executions",
        tokenExpiringIn(Duration.ofSeconds(3)), Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      // a busy stream: an execution every 200 ms, so the stream is never idle
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
        submit(admin, "name: busy\nsteps: [{name: a, type: noop}]");
        return stream.has("error");
      });
      var error = stream.events().stream().filter(e -> e.type().equals("error")).findFirst().orElseThrow();
      assertThat(error.data().path("code").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(error.data().path("message").asText()).contains("expired");
      await().atMost(Duration.ofSeconds(5)).until(stream::ended);
    }
  }

  /** A WebSocket opened with the token, past its {@code connected} message. */
  private WsClient socket(String token) throws InterruptedException {
    var socket = new WsClient();
    socket.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"), socket).join();
    assertThat(socket.next().path("type").asText()).isEqualTo("connected");
    return socket;
  }

  @Test
  void an_sse_stream_and_a_websocket_end_at_once_when_their_token_is_revoked_here() throws Exception {
    var created = client.post("/api/v1/auth/tokens", server.adminToken(), Map.of("name", "streams"));
    String token = created.data().path("token").asText();
    long tokenId = created.data().path("id").asLong();
    var socket = socket(token);
    var other = client.post("/api/v1/auth/tokens", server.adminToken(), Map.of("name", "kept")).data().path("token").asText();
    var kept = socket(other);
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=executions", token, Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(client.delete("/api/v1/auth/tokens/" + tokenId, server.adminToken()).status()).isEqualTo(200);
      // well inside the 30 s recheck that catches a revocation made on another node
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.has("error"));
      var error = stream.events().stream().filter(e -> e.type().equals("error")).findFirst().orElseThrow();
      assertThat(error.data().path("message").asText()).contains("revoked");
      assertThat(socket.closed.get(10, TimeUnit.SECONDS)).startsWith("1008").contains("no longer valid");
      assertThat(kept.closed).as("the same user's other token keeps its socket").isNotDone();
      kept.socket.sendText("{\"type\":\"ping\"}", true).join();
      assertThat(kept.next().path("type").asText()).isEqualTo("pong");
    }
  }

  @Test
  void an_sse_stream_and_a_websocket_end_at_once_when_their_user_is_disabled_here() throws Exception {
    var created = client.post("/api/v1/users", server.adminToken(),
        Map.of("username", "watcher", "password", "watcher-password-1", "role", "viewer"));
    long userId = created.data().path("id").asLong();
    String token = client.login("watcher", "watcher-password-1");
    var socket = socket(token);
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=executions", token, Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(client.patch("/api/v1/users/" + userId, server.adminToken(), Map.of("disabled", true)).status())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.has("error"));
      assertThat(stream.events().stream().filter(e -> e.type().equals("error")).findFirst().orElseThrow()
          .data().path("code").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(socket.closed.get(10, TimeUnit.SECONDS)).startsWith("1008");
    }
  }
}
