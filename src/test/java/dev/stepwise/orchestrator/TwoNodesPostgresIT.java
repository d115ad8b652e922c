package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two server processes on one PostgreSQL database share the work and never run an execution twice. */
class TwoNodesPostgresIT {
  private static final int EXECUTIONS = 200;

  @TempDir Path dir;

  @Test
  void two_nodes_split_the_queue_and_never_run_the_same_execution_at_once() throws Exception {
    Path log = dir.resolve("runs.log");
    Files.createFile(log);
    try (TestDatabase database = TestDatabase.postgres()) {
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_WORKERS", "4",
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      try (var one = ServerProcess.start(dir.resolve("node-1"), env);
           var two = ServerProcess.start(dir.resolve("node-2"), env)) {
        String token = one.client().login("admin", TestServer.ADMIN_PASSWORD);
        String plan = "name: shared\nsteps: [{name: a, run: 'echo \"$STEPWISE_EXECUTION_ID start\" >> " + log
            + "; sleep 0.05; echo \"$STEPWISE_EXECUTION_ID end\" >> " + log + "'}]";
        List<Callable<Integer>> submissions = new java.util.ArrayList<>();
        for (int i = 0; i < EXECUTIONS; i++) {
          var client = i % 2 == 0 ? one.client() : two.client();
          submissions.add(() -> client.send("POST", "/api/v1/executions", token, plan, "text/yaml").status());
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
          for (var future : pool.invokeAll(submissions)) assertThat(future.get()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> Rows.snapshot(database,
            List.of("SELECT COUNT(*) FROM executions WHERE status = 'completed'")).getFirst().getFirst().getFirst()
            .equals(Integer.toString(EXECUTIONS)));

        Map<String, Integer> starts = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
          if (line.endsWith(" start")) starts.merge(line.split(" ")[0], 1, Integer::sum);
        }
        assertThat(starts).hasSize(EXECUTIONS);
        assertThat(starts.values()).containsOnly(1);
        var nodes = Rows.snapshot(database, List.of(
            "SELECT COUNT(*) FROM executions WHERE lease_owner IS NOT NULL",
            "SELECT COUNT(*) FROM events WHERE type = 'execution.started' AND data LIKE '%node-%'"));
        assertThat(nodes.get(0).getFirst().getFirst()).as("no lease is left behind").isEqualTo("0");
        assertThat(nodes.get(1).getFirst().getFirst()).isEqualTo(Integer.toString(EXECUTIONS));
        String nodeIds = Rows.snapshot(database, List.of("SELECT data FROM events WHERE type = 'execution.started'"))
            .getFirst().toString();
        long distinctNodes = java.util.regex.Pattern.compile("\"node_id\":\"([^\"]+)\"").matcher(nodeIds).results()
            .map(m -> m.group(1)).distinct().count();
        assertThat(distinctNodes).as("both nodes ran work").isEqualTo(2);
      }
    }
  }
}
