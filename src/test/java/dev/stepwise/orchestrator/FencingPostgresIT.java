package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that freezes past its lease loses the execution to a peer; when it wakes up it is fenced
 * off: it stops its copy of the step and writes nothing more, and the execution finishes once.
 * Runs alone: it counts on a 2-second lease being taken over within its wait.
 */
@Isolated
class FencingPostgresIT {
  @TempDir Path dir;

  private static String count(TestDatabase database, String sql) {
    return String.valueOf(Rows.snapshot(database, List.of(sql)).getFirst().getFirst().getFirst());
  }

  @Test
  void a_frozen_node_is_fenced_off_and_its_successor_finishes_the_execution() throws Exception {
    try (TestDatabase database = TestDatabase.postgres()) {
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_LEASE_TTL", "2s",
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      try (var one = ServerProcess.start(dir.resolve("one"), env)) {
        ApiClient client = one.client();
        String token = client.login("admin", TestServer.ADMIN_PASSWORD);
        long id = client.send("POST", "/api/v1/executions", token,
            "name: long\nsteps: [{name: tick, idempotent: true, run: 'for i in 1 2 3 4 5 6; do echo tick-$$; sleep 1; done'}]",
            "text/yaml").data().path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() ->
            client.get("/api/v1/executions/" + id, token).data().path("steps").get(0).path("status").asText().equals("running"));
        try (var two = ServerProcess.start(dir.resolve("two"), env)) {
          one.freeze(true);
          try {
            // the lease expires; node two rescues the idempotent step and runs it again
            await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "SELECT COUNT(*) FROM executions WHERE id = " + id + " AND fence >= 2").equals("1"));
          } finally {
            one.freeze(false);
          }
          await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
              "SELECT COUNT(*) FROM executions WHERE id = " + id + " AND status = 'completed'").equals("1"));
          await().atMost(Duration.ofSeconds(10)).until(() -> one.output().contains("lost its lease")
              || one.output().contains("lost the lease"));
          assertThat(count(database, "SELECT COUNT(*) FROM events WHERE topic = 'execution:" + id
              + "' AND type = 'execution.completed'")).isEqualTo("1");
          assertThat(count(database, "SELECT attempts FROM steps WHERE execution_id = " + id)).isEqualTo("2");
        }
      }
    }
  }
}
