package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away under a running server: its connections terminated
 * ({@code pg_terminate_backend}) and new ones refused ({@code ALTER DATABASE … ALLOW_CONNECTIONS
 * false}) on the suite's own throwaway database. Every request that needs the database answers
 * 503 {@code UNAVAILABLE} at once, {@code /health} says what is wrong in words within its 2 s, no
 * answer names a class, a statement or the driver, and a step that runs through the outage ends
 * as it ran.
 */
class DatabaseOutagePostgresTest extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** What an answer must never show: a Java class, the driver's words, SQL. */
  private static final Pattern INTERNALS = Pattern.compile(
      "\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*|PSQL|SQLState|SQLSTATE|Exception|FATAL|"
          + "\\b(SELECT|INSERT|UPDATE|DELETE) ");

  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.agentFile("patient.yaml", """
        name: patient
        model:
          provider: scripted
          script:
            - tool: {name: shell, arguments: {command: "sleep 3"}}
            - reply: Done waiting.
        tools: [shell]
        approval: {shell: never}
        """);
  }

  private String name() {
    return ((TestDatabase.Postgres) server.database()).name();
  }

  private void admin(String sql) throws Exception {
    try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres")) {
      admin.createStatement().execute(sql);
    }
  }

  private void refuseConnections() throws Exception {
    admin("ALTER DATABASE " + name() + " ALLOW_CONNECTIONS false");
    dropConnections();
  }

  private void dropConnections() throws Exception {
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name() + "' AND pid <> pg_backend_pid()");
  }

  @AfterEach
  void acceptConnectionsAgain() throws Exception {
    admin("ALTER DATABASE " + name() + " ALLOW_CONNECTIONS true");
    await().atMost(WAIT).until(() -> client.get("/api/v1/health", null).status() == 200);
  }

  private long timed(Runnable request) {
    long start = System.nanoTime();
    request.run();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private static void assertInWords(ApiClient.Response response) {
    assertThat(response.text()).doesNotContainPattern(INTERNALS);
  }

  @Test
  void while_the_database_refuses_connections_every_request_is_a_quick_503_in_words() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    refuseConnections();
    ApiClient.Response[] health = new ApiClient.Response[1];
    long healthMillis = timed(() -> health[0] = client.get("/api/v1/health", null));
    assertThat(health[0].status()).isEqualTo(503);
    assertThat(healthMillis).as("/health answers within its documented 2 s").isLessThan(2000);
    JsonNode database = health[0].data().path("components").path("database");
    assertThat(database.path("status").asText()).isEqualTo("unhealthy");
    assertThat(database.path("error").asText()).contains("127.0.0.1:5432");
    assertInWords(health[0]);

    ApiClient.Response[] submit = new ApiClient.Response[1];
    long submitMillis = timed(() -> submit[0] = client.send("POST", "/api/v1/executions", token,
        "name: during\nsteps: [{name: a, run: 'true'}]", "text/yaml"));
    assertThat(submit[0].status()).isEqualTo(503);
    assertThat(submitMillis).as("a 503 at once, not after a pool timeout").isLessThan(2000);
    assertThat(submit[0].body().path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
    assertThat(submit[0].body().path("error").path("message").asText()).contains("127.0.0.1:5432");
    assertThat(submit[0].raw().headers().firstValue("Retry-After")).isPresent();
    assertInWords(submit[0]);
    for (var response : new ApiClient.Response[] {client.get("/api/v1/executions", token),
        client.post("/api/v1/auth/login", null, Map.of("username", "admin", "password", "wrong-password")),
        client.get("/api/v1/execution/metrics", token)}) {
      assertThat(response.status()).as(response.text()).isEqualTo(503);
      assertInWords(response);
    }
  }

  @Test
  void a_step_that_runs_through_an_outage_ends_as_it_ran() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    String pause = "0.2" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, 99_999);
    var submitted = client.send("POST", "/api/v1/executions", token, """
        name: through
        steps:
          - {name: ticks, run: 'for i in 1 2 3 4 5 6 7 8; do echo tick $i; sleep %s; done'}
          - {name: after, run: 'echo after'}
        """.formatted(pause), "text/yaml");
    long id = submitted.data().path("id").asLong();
    await().atMost(WAIT).until(() -> client.get("/api/v1/executions/" + id, token).data().path("steps").get(0)
        .path("status").asText().equals("running"));
    refuseConnections();
    // the step finishes while nothing can be stored
    await().atMost(WAIT).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep " + pause)));
    admin("ALTER DATABASE " + name() + " ALLOW_CONNECTIONS true");
    await().atMost(WAIT).until(() -> client.get("/api/v1/executions/" + id, token).data().path("finished_at").isTextual());
    JsonNode done = client.get("/api/v1/executions/" + id, token).data();
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("error").isNull()).isTrue();
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", token).text())
        .contains("tick 1", "tick 4", "tick 8");
  }

  @Test
  void connections_dropped_again_and_again_in_the_middle_of_steps_fail_nothing() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    long id = client.send("POST", "/api/v1/executions", token, """
        name: dropped
        steps:
          - {name: ticks, run: 'for i in $(seq 1 20); do echo tick $i; sleep 0.1; done'}
          - {name: second, run: 'echo second'}
          - {name: third, type: noop}
        """, "text/yaml").data().path("id").asLong();
    int[] drops = {0};
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      dropConnections();
      return ++drops[0] >= 8;
    });
    await().atMost(WAIT).until(() -> {
      var execution = client.get("/api/v1/executions/" + id, token);
      return execution.status() == 200 && execution.data().path("finished_at").isTextual();
    });
    JsonNode done = client.get("/api/v1/executions/" + id, token).data();
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", token).text()).contains("tick 1", "tick 20");
  }

  @Test
  void after_an_outage_longer_than_a_lease_no_node_takes_over_a_step_that_still_runs() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    TestServer peer = TestServer.builder(server.database()).start(); // a second node on the same database
    try {
      String pause = "0.2" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, 99_999);
      long id = submit(token, """
          name: outlives-its-lease
          steps: [{name: ticks, run: 'for i in $(seq 1 40); do echo tick $i; sleep %s; done'}]
          """.formatted(pause));
      await().atMost(WAIT).until(() -> client.get("/api/v1/executions/" + id, token).data().path("steps").get(0)
          .path("status").asText().equals("running"));
      refuseConnections();
      // longer than the test servers' 5 s lease: no heartbeat can renew it meanwhile
      await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).until(() -> true);
      admin("ALTER DATABASE " + name() + " ALLOW_CONNECTIONS true");
      JsonNode done = awaitFinished(id, token);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
      assertThat(done.path("steps").get(0).path("attempts").asInt()).as("never taken over, never run twice").isEqualTo(1);
      assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", token).text()).contains("tick 1", "tick 40");
    } finally {
      peer.app().close();
    }
  }

  @Test
  void an_agent_run_that_loses_the_database_mid_call_is_resumed_not_failed() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    long id = client.post("/api/v1/agent/execute", token, Map.of("agent", "patient", "goal", "wait"))
        .data().path("session_id").asLong();
    await().atMost(WAIT).until(() -> ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().orElse("").matches("(\\S*/)?sleep 3")));
    refuseConnections();
    await().atMost(WAIT).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").matches("(\\S*/)?sleep 3")));
    admin("ALTER DATABASE " + name() + " ALLOW_CONNECTIONS true");
    JsonNode done = awaitFinished(id, token);
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("error").isNull()).isTrue();
  }
}
