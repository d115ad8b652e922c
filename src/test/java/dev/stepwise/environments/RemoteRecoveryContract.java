package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.testing.HostProcesses;
import dev.stepwise.testing.OpenSshServer;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed outright (kill -9) while a step runs on a remote machine: after its restart the
 * step is settled like a local one (it fails {@code interrupted}: not idempotent, no retries), and
 * what it left running on the host is stopped by its mark.
 */
abstract class RemoteRecoveryContract {
  @TempDir Path dataDir;

  abstract TestDatabase newDatabase();

  @Test
  void a_step_on_a_host_whose_server_was_killed_is_settled_after_the_restart_and_its_processes_are_stopped()
      throws Exception {
    try (OpenSshServer ssh = OpenSshServer.start(); TestDatabase database = newDatabase()) {
      Files.writeString(dataDir.resolve("stepwise.yaml"), ssh.settings(4));
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_JWT_SECRET",
          java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      String marker = "marker-" + UUID.randomUUID();
      long id;
      var first = ServerProcess.start(dataDir, env);
      try {
        String token = first.client().login("admin", TestServer.ADMIN_PASSWORD);
        var submitted = first.client().send("POST", "/api/v1/executions", token, """
            name: survives its server
            environment: {name: vm}
            steps:
              - name: long
                run: "trap '' HUP; sleep 600; echo %s"
            """.formatted(marker), "text/yaml");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        id = submitted.data().path("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> !HostProcesses.running(marker).isEmpty());
      } finally {
        first.kill();
      }
      // the step ignores the hang-up of its terminal: only Stepwise's recovery can stop it
      Thread.sleep(1000);
      assertThat(HostProcesses.running(marker)).as("still running on the host after the kill").isNotEmpty();

      try (var second = ServerProcess.start(dataDir, env)) {
        String token = second.client().login("admin", TestServer.ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> second.client().get("/api/v1/executions/" + id, token)
            .data().path("finished_at").isTextual());
        JsonNode done = second.client().get("/api/v1/executions/" + id, token).data();
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("error").asText()).startsWith("interrupted:").contains("restarted");
        await().atMost(Duration.ofSeconds(30)).until(() -> HostProcesses.running(marker).isEmpty());
      }
    }
  }
}
