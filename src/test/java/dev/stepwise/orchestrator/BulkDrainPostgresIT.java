package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL database drain 20,000 executions submitted in bulk, with
 * claims, settles and event appends from many executions sharing transactions: each runs exactly
 * once, and a subscriber that drops out mid-drain and resumes on the other node misses no event
 * and sees none twice.
 * Runs alone: its two nodes draining 20,000 executions take both cores and the database, and
 * would starve the lease timing of a test beside it.
 */
@Isolated
class BulkDrainPostgresIT {
  private static final int EXECUTIONS = 20_000;
  private static final int PER_REQUEST = 1000;

  @TempDir Path dir;

  @Test
  void two_nodes_drain_twenty_thousand_once_each_and_a_resuming_subscriber_misses_nothing() throws Exception {
    try (TestDatabase database = TestDatabase.postgres()) {
      Map<String, String> env = Map.of("STEPWISE_DB_URL", database.url(), "STEPWISE_WORKERS", "4",
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY));
      try (var one = ServerProcess.start(dir.resolve("node-1"), env);
           var two = ServerProcess.start(dir.resolve("node-2"), env)) {
        String token = one.client().login("admin", TestServer.ADMIN_PASSWORD);
        var first = SseRecorder.open(one.client().baseUrl(), "/api/v1/events/stream?topics=executions", token, Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> first.status() == 200);

        String plans = bulkOfNoops(PER_REQUEST);
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < EXECUTIONS / PER_REQUEST; i++) {
          var client = i % 2 == 0 ? one.client() : two.client();
          requests.add(() -> client.send("POST", "/api/v1/executions", token, plans, "application/json").status());
        }
        // submitted while the subscriber follows: the drain keeps pace with the submissions, so a drop after a
        // quarter of the completions falls mid-drain (waiting for all submissions first found it already over)
        var pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> submitted = requests.stream().map(pool::submit).toList();

        // the subscriber drops out mid-drain (and whenever the server ends its stream) and resumes from its last
        // event on the other node, as a client does
        List<SseRecorder.Received> all = new ArrayList<>();
        List<ServerProcess> nodes = List.of(one, two);
        SseRecorder current = first;
        int connections = 1;
        boolean dropped = false;
        while (true) {
          SseRecorder stream = current;
          boolean dropNow = !dropped;
          await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10)).until(() -> stream.ended()
              || completed(all).size() + completed(stream.events()).size() >= (dropNow ? EXECUTIONS / 4 : EXECUTIONS));
          stream.close();
          await().atMost(Duration.ofSeconds(10)).until(stream::ended);
          all.addAll(stream.events().stream().filter(e -> e.id() > 0).toList());
          if (completed(all).size() >= EXECUTIONS) break;
          dropped = true;
          assertThat(connections).as("resumptions").isLessThan(50);
          current = SseRecorder.open(nodes.get(connections++ % 2).client().baseUrl(),
              "/api/v1/events/stream?topics=executions", token, Map.of("Last-Event-ID", Long.toString(all.getLast().id())));
        }
        for (var future : submitted) assertThat(future.get()).isEqualTo(202);
        pool.close();
        assertThat(connections).as("it resumed at least once").isGreaterThan(1);
        for (int i = 1; i < all.size(); i++) {
          assertThat(all.get(i).id()).as("event ids strictly increase across the resume").isGreaterThan(all.get(i - 1).id());
        }
        List<Long> completedIds = completed(all);
        assertThat(completedIds).as("every execution's completion, once").hasSize(EXECUTIONS);
        assertThat(new HashSet<>(completedIds)).hasSize(EXECUTIONS);
        Set<Long> stored = new HashSet<>(Rows.snapshot(database, List.of(
                "SELECT data::jsonb ->> 'execution_id' FROM events WHERE type = 'execution.completed'")).getFirst().stream()
            .map(row -> Long.parseLong(String.valueOf(row.getFirst()))).toList());
        assertThat(new HashSet<>(completedIds)).as("what the subscriber saw is what the log holds").isEqualTo(stored);

        var counts = Rows.snapshot(database, List.of(
            "SELECT COUNT(*) FROM executions WHERE status = 'completed'",
            "SELECT COUNT(*) FROM steps WHERE status = 'succeeded' AND attempts = 1",
            "SELECT COUNT(*) FROM (SELECT topic FROM events WHERE type = 'execution.started' GROUP BY topic "
                + "HAVING COUNT(*) = 1) once",
            "SELECT COUNT(*) FROM (SELECT topic FROM events WHERE type = 'step.started' GROUP BY topic "
                + "HAVING COUNT(*) = 1) once",
            "SELECT COUNT(*) FROM executions WHERE lease_owner IS NOT NULL",
            "SELECT COUNT(DISTINCT data::jsonb ->> 'node_id') FROM events WHERE type = 'execution.started'"));
        assertThat(counts.get(0).getFirst().getFirst()).as("all completed").isEqualTo(Integer.toString(EXECUTIONS));
        assertThat(counts.get(1).getFirst().getFirst()).as("each step passed once").isEqualTo(Integer.toString(EXECUTIONS));
        assertThat(counts.get(2).getFirst().getFirst()).as("each started once").isEqualTo(Integer.toString(EXECUTIONS));
        assertThat(counts.get(3).getFirst().getFirst()).as("each step started once").isEqualTo(Integer.toString(EXECUTIONS));
        assertThat(counts.get(4).getFirst().getFirst()).as("no lease left behind").isEqualTo("0");
        assertThat(counts.get(5).getFirst().getFirst()).as("both nodes ran work").isEqualTo("2");
      }
    }
  }

  private static String bulkOfNoops(int count) {
    var plans = new StringBuilder("{\"plans\": [");
    for (int i = 0; i < count; i++) {
      plans.append(i == 0 ? "" : ",").append("{\"name\": \"bulk\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\"}]}");
    }
    return plans.append("]}").toString();
  }

  private static List<Long> completed(List<SseRecorder.Received> events) {
    return events.stream().filter(e -> e.type().equals("execution.completed"))
        .map(e -> e.data().path("execution_id").asLong()).toList();
  }
}
