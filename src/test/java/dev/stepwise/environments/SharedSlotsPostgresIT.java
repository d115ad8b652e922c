package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.testing.OpenSshServer;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL database share a remote environment with two slots: its
 * steps never run more than two at once on the host, whichever node runs them.
 */
class SharedSlotsPostgresIT {
  private static final int STEPS = 20;

  @TempDir Path dir;

  @Test
  void twenty_steps_from_two_nodes_never_run_more_than_two_at_once_on_the_host() throws Exception {
    try (OpenSshServer ssh = OpenSshServer.start(); TestDatabase database = TestDatabase.postgres()) {
      Path log = ssh.home().resolve("slots.log");
      String settings = ssh.settings(2);
      for (String node : List.of("node-1", "node-2")) {
        Files.createDirectories(dir.resolve(node));
        Files.writeString(dir.resolve(node).resolve("stepwise.yaml"), settings);
      }
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_WORKERS", "8",
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      try (var one = ServerProcess.start(dir.resolve("node-1"), env);
           var two = ServerProcess.start(dir.resolve("node-2"), env)) {
        String token = one.client().login("admin", TestServer.ADMIN_PASSWORD);
        String plan = "name: shared slots\nenvironment: {name: vm}\nsteps: [{name: a, run: 'echo start >> " + log
            + "; sleep 0.3; echo end >> " + log + "'}]";
        for (int i = 0; i < STEPS; i++) {
          var client = i % 2 == 0 ? one.client() : two.client();
          assertThat(client.send("POST", "/api/v1/executions", token, plan, "text/yaml").status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> Rows.snapshot(database,
            List.of("SELECT COUNT(*) FROM executions WHERE status = 'completed'")).getFirst().getFirst().getFirst()
            .equals(Integer.toString(STEPS)));

        int running = 0;
        int most = 0;
        for (String line : Files.readAllLines(log)) {
          running += line.equals("start") ? 1 : -1;
          most = Math.max(most, running);
        }
        assertThat(Files.readAllLines(log)).hasSize(2 * STEPS);
        assertThat(most).as("steps running at once on the host").isEqualTo(2);
        String started = Rows.snapshot(database, List.of("SELECT data FROM events WHERE type = 'execution.started'"))
            .getFirst().toString();
        long nodes = java.util.regex.Pattern.compile("\"node_id\":\"([^\"]+)\"").matcher(started).results()
            .map(m -> m.group(1)).distinct().count();
        assertThat(nodes).as("both nodes ran steps on the host").isEqualTo(2);
      }
    }
  }
}
