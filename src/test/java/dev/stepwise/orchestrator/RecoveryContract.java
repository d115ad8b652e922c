package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a server in the middle of running steps, then a restart: interrupted steps
 * follow the re-run rules, queued work runs, and waiting approvals keep waiting.
 */
abstract class RecoveryContract {
  @TempDir Path dataDir;

  abstract TestDatabase newDatabase();

  private static long submit(ApiClient client, String token, String yaml) {
    var response = client.send("POST", "/api/v1/executions", token, yaml, "text/yaml");
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    return response.data().path("id").asLong();
  }

  private static JsonNode get(ApiClient client, String token, long id) {
    return client.get("/api/v1/executions/" + id, token).data();
  }

  private static long processesWith(String text) {
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(text)).count();
  }

  @Test
  void a_crashed_server_settles_its_executions_when_it_comes_back() throws Exception {
    String marker = Long.toString(700_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(99_999));
    try (TestDatabase database = newDatabase()) {
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_WORKERS", "2",
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      long fragile;
      long idempotent;
      long queued;
      long waiting;
      var first = ServerProcess.start(dataDir, env);
      try {
        ApiClient client = first.client();
        String token = client.login("admin", TestServer.ADMIN_PASSWORD);
        // children of every escaping kind: a new session, nohup in the background, a double fork
        fragile = submit(client, token, "name: fragile\npriority: 9\nsteps: [{name: long, run: \"setsid sleep " + marker
            + " & nohup sleep " + marker + " >/dev/null 2>&1 & (sh -c 'sleep " + marker + " &' &); sleep " + marker
            + "\"}, {name: after, type: noop}]");
        idempotent = submit(client, token, "name: safe\npriority: 9\nsteps: [{name: long, run: 'sleep 3; echo done', idempotent: true}]");
        await().atMost(Duration.ofSeconds(20)).until(() ->
            get(client, token, fragile).path("steps").get(0).path("status").asText().equals("running")
                && get(client, token, idempotent).path("steps").get(0).path("status").asText().equals("running"));
        queued = submit(client, token, "name: queued\npriority: 1\nsteps: [{name: a, run: 'echo later'}]");
        waiting = submit(client, token, "name: waiting\nsteps: [{name: gate, type: approval}, {name: b, type: noop}]");
        assertThat(get(client, token, queued).path("status").asText()).isEqualTo("queued");
      } finally {
        first.kill();
      }
      assertThat(processesWith("sleep " + marker)).as("the crash left the step's processes running").isPositive();

      try (var second = ServerProcess.start(dataDir, env)) {
        ApiClient client = second.client();
        String token = client.login("admin", TestServer.ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(client, token, fragile).path("status").asText().equals("failed"));
        JsonNode failed = get(client, token, fragile);
        assertThat(failed.path("error").asText()).startsWith("interrupted").contains("restarted while step 1 ('long')");
        assertThat(failed.path("steps").get(0).path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("steps").get(1).path("status").asText()).isIn("skipped", "cancelled");

        await().atMost(Duration.ofSeconds(20)).until(() -> get(client, token, idempotent).path("status").asText().equals("completed"));
        assertThat(get(client, token, idempotent).path("steps").get(0).path("attempts").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(client, token, queued).path("status").asText().equals("completed"));
        assertThat(get(client, token, waiting).path("status").asText()).isEqualTo("waiting_approval");
        assertThat(second.output()).contains("recovered 2 execution(s)");
        assertThat(processesWith("sleep " + marker)).as("leftovers of the interrupted step are killed, escaped or not")
            .isZero();
      }
    }
  }
}
