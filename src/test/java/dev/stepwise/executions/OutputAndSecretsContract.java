package dev.stepwise.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestServer;
import dev.stepwise.testing.WsClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Output and secrets, as a user sees them: a secret is masked before any line is cut (in the log,
 * the step's {@code output_tail}, SSE and the WebSocket); the log keeps a line whole up to the
 * output cap and only the live event is cut; plan secrets are encrypted at rest. Both databases.
 */
public abstract class OutputAndSecretsContract extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "s3cr3t-value-that-must-never-show";
  /** Small limits, so that a line crosses both: the live event line (1 KB) and the output cap (4 KB). */
  private static final int EVENT_LINE = 1024;
  private static final int CAP = 4096;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.output(CAP, EVENT_LINE);
  }

  private String admin() {
    return server.tokenFor(Role.ADMIN);
  }

  private long submit(String yaml) {
    return submit(admin(), yaml);
  }

  private JsonNode awaitEnd(long id) {
    return awaitFinished(id, admin());
  }

  /** A step printing one line of {@code before} filler characters, the secret, then filler up to {@code length}. */
  private static String lineWithSecretAt(int before, int length) {
    return "head -c " + before + " /dev/zero | tr '\\\\0' a; printf '%s' \\\"$TOKEN\\\"; head -c "
        + (length - before - SECRET.length()) + " /dev/zero | tr '\\\\0' b; echo";
  }

  /** Every place a user sees output: the log, output_tail, SSE and the WebSocket's replay. */
  private List<String> everywhere(long id) throws Exception {
    String log = client.get("/api/v1/executions/" + id + "/logs?step=1", admin()).text();
    String tail = client.get("/api/v1/executions/" + id, admin()).data().path("steps").get(0).path("output_tail").asText();
    String sse;
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0", admin(), Map.of())) {
      await().atMost(WAIT).until(() -> stream.has("execution.completed"));
      sse = stream.events().stream().filter(e -> e.type().equals("step.output")).map(e -> e.data().toString()).toList()
          .toString();
    }
    var ws = new WsClient();
    ws.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + admin())
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"), ws).join();
    ws.next();
    ws.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    String socket = ws.nextOfType("step.output").toString();
    ws.socket.abort();
    return List.of(log, tail, sse, socket);
  }

  private static void assertNoPieceOfTheSecret(List<String> seen) {
    for (String text : seen) {
      for (int length = 4; length <= SECRET.length(); length++) {
        assertThat(text).as("no piece of the secret").doesNotContain(SECRET.substring(0, length));
      }
    }
  }

  @Test
  void a_secret_across_the_live_line_limit_is_masked_before_the_event_is_cut() throws Exception {
    long id = submit("name: cut-event\nenv: {TOKEN: {value: " + SECRET + ", secret: true}}\nsteps: [{name: s, run: \""
        + lineWithSecretAt(EVENT_LINE - 10, 3000) + "\"}]");
    assertThat(awaitEnd(id).path("status").asText()).isEqualTo("completed");
    List<String> seen = everywhere(id);
    assertNoPieceOfTheSecret(seen);
    String logLine = seen.getFirst().lines().findFirst().orElseThrow();
    assertThat(logLine).as("the log keeps the line whole, masked").hasSize(3000 - SECRET.length() + 4).contains("****");
    assertThat(seen.get(2)).contains("more characters in the step's log]");
  }

  @Test
  void a_secret_across_the_output_cap_is_masked_before_the_line_is_cut() throws Exception {
    long id = submit("name: cut-log\nenv: {TOKEN: {value: " + SECRET + ", secret: true}}\nsteps: [{name: s, run: \""
        + lineWithSecretAt(CAP - 10, 6000) + "\"}]");
    awaitEnd(id);
    List<String> seen = everywhere(id);
    assertNoPieceOfTheSecret(seen);
    assertThat(seen.getFirst()).startsWith("a".repeat(100)).contains("[output truncated: more than " + CAP + " bytes");
  }

  @Test
  void plan_secrets_are_stored_encrypted_and_still_reach_the_step_and_its_retry() throws Exception {
    long id = submit("name: sealed\nenv:\n  TOKEN: {value: " + SECRET + ", secret: true}\n  PLAIN: visible\nsteps:\n"
        + "  - {name: s, run: 'printf %s \"$TOKEN\" | sha256sum', env: {STEP_KEY: {value: step-secret-value, secret: true}}}");
    assertThat(awaitEnd(id).path("status").asText()).isEqualTo("completed");
    String stored = Rows.snapshot(server.database(), List.of("SELECT plan_json FROM executions WHERE id = " + id))
        .getFirst().getFirst().getFirst().toString();
    assertThat(stored).doesNotContain(SECRET).doesNotContain("step-secret-value").contains("\"sealed\":\"v1:")
        .contains("visible");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", admin()).text()).as("the step got its secret")
        .contains(sha256(SECRET));
    var retry = client.post("/api/v1/executions/" + id + "/retry", admin(), null);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(awaitEnd(retry.data().path("id").asLong()).path("status").asText()).isEqualTo("completed");
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void secrets_an_earlier_version_stored_in_plain_text_are_sealed_when_the_server_starts() {
    long id = submit("name: legacy\nenv: {TOKEN: {value: " + SECRET + ", secret: true}}\nsteps: [{name: gate, type: approval}]");
    Rows.execute(server.database(), "UPDATE executions SET plan_json = '{\"name\":\"legacy\",\"env\":{\"TOKEN\":"
        + "{\"value\":\"" + SECRET + "\",\"secret\":true}},\"steps\":[{\"name\":\"gate\",\"type\":\"approval\"}]}' "
        + "WHERE id = " + id);
    server = server.restart();
    client = server.client();
    String stored = Rows.snapshot(server.database(), List.of("SELECT plan_json FROM executions WHERE id = " + id))
        .getFirst().getFirst().getFirst().toString();
    assertThat(stored).doesNotContain(SECRET).contains("\"sealed\":\"v1:");
    assertThat(client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", true)).status())
        .isEqualTo(200);
    assertThat(awaitEnd(id).path("status").asText()).isEqualTo("completed");
  }
}
