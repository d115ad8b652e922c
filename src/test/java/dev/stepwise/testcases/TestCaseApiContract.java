package dev.stepwise.testcases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.auth.Role;
import dev.stepwise.testing.ServerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Test case CRUD through the API (API.md §5), on both databases. */
public abstract class TestCaseApiContract extends ServerContract {

  private Map<String, Object> testCase(String name, String subsystem) {
    return Map.of("name", name, "subsystem", subsystem, "file_path", "net/ipv4/route.c", "function_name", "ip_route_input",
        "command", "make test TEST=" + name, "expected", "exit 0", "tags", List.of("net", "regression"));
  }

  @Test
  void a_test_case_is_created_read_listed_changed_and_deleted() {
    String demo = server.tokenFor(Role.DEMO);
    var created = client.post("/api/v1/tests", demo, testCase("route-null-skb", "net"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    var data = created.data();
    long id = data.path("id").asLong();
    assertThat(data.path("source").asText()).isEqualTo("manual");
    assertThat(data.path("tags").toString()).isEqualTo("[\"net\",\"regression\"]");
    assertThat(data.path("last_result").isNull()).isTrue();
    assertThat(data.path("created_at").asText()).isNotBlank();

    assertThat(client.get("/api/v1/tests/" + id, demo).data().path("function_name").asText()).isEqualTo("ip_route_input");
    client.post("/api/v1/tests", demo, testCase("other", "fs"));
    var net = client.get("/api/v1/tests?subsystem=net", demo).data().path("items");
    assertThat(net.toString()).contains("route-null-skb").doesNotContain("\"other\"");

    var changed = client.send("PUT", "/api/v1/tests/" + id, demo,
        "{\"name\":\"route-null-skb-2\",\"subsystem\":\"net\",\"command\":\"make test\"}", "application/json");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.data().path("name").asText()).isEqualTo("route-null-skb-2");
    assertThat(changed.data().path("file_path").isNull()).isTrue();

    assertThat(client.delete("/api/v1/tests/" + id, demo).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/tests/" + id, demo).status()).isEqualTo(404);
    assertThat(client.delete("/api/v1/tests/" + id, demo).status()).isEqualTo(404);
  }

  @Test
  void bad_test_cases_are_refused_with_the_field_named() {
    String token = server.tokenFor(Role.OPERATOR);
    var traversal = client.post("/api/v1/tests", token, Map.of("name", "x", "file_path", "../../etc/passwd"));
    assertThat(traversal.status()).isEqualTo(422);
    assertThat(traversal.body().path("error").path("details").path("fields").has("file_path")).isTrue();
    assertThat(client.post("/api/v1/tests", token, Map.of("name", "x", "file_path", "/etc/passwd")).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/tests", token, Map.of("description", "no name")).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/tests", token, Map.of("name", "   ")).status()).as("a blank name").isEqualTo(422);
    assertThat(client.post("/api/v1/tests", token, Map.of("name", "x", "tags", List.of("bad tag"))).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/tests", token, Map.of("name", "x", "source", "generated")).status()).isEqualTo(422);
    assertThat(client.send("PUT", "/api/v1/tests/999999", token, "{\"name\":\"x\"}", "application/json").status()).isEqualTo(404);
  }

  @Test
  void test_cases_start_as_one_test_execution_that_runs_every_case() {
    String token = server.tokenFor(Role.OPERATOR);
    long passing = client.post("/api/v1/tests", token, Map.of("name", "passes", "command", "echo ok"))
        .data().path("id").asLong();
    long failing = client.post("/api/v1/tests", token, Map.of("name", "fails", "command", "echo broken; exit 1"))
        .data().path("id").asLong();
    long noCommand = client.post("/api/v1/tests", token, Map.of("name", "no-command")).data().path("id").asLong();

    var started = client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(passing, failing), "priority", 8));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    var execution = started.data().path("execution");
    assertThat(execution.path("kind").asText()).isEqualTo("test");
    assertThat(execution.path("priority").asInt()).isEqualTo(8);
    long id = execution.path("id").asLong();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
        client.get("/api/v1/executions/" + id, token).data().path("finished_at").isTextual());
    var run = client.get("/api/v1/executions/" + id, token).data();
    var steps = run.path("steps");
    assertThat(steps.get(0).path("status").asText()).isEqualTo("succeeded");
    assertThat(steps.get(1).path("status").asText()).isEqualTo("failed");
    assertThat(run.path("status").asText()).as("a case failed, so the test execution did").isEqualTo("failed");
    assertThat(run.path("summary").path("passed").asInt()).isEqualTo(1);
    assertThat(run.path("summary").path("failed").asInt()).isEqualTo(1);
    assertThat(client.get("/api/v1/execution/metrics", token).data().path("failed_last_hour").asLong()).isPositive();

    var unknown = client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(passing, 987654)));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.body().path("error").path("details").path("fields").path("test_case_ids").asText()).contains("987654");
    // a case without a command runs, and fails saying which setting would give it one
    var missing = client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(noCommand)));
    assertThat(missing.status()).isEqualTo(202);
    long missingId = missing.data().path("execution").path("id").asLong();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
        client.get("/api/v1/executions/" + missingId, token).data().path("finished_at").isTextual());
    assertThat(client.get("/api/v1/executions/" + missingId, token).data().path("summary").path("errored").asInt())
        .isEqualTo(1);
    assertThat(client.get("/api/v1/executions/" + missingId + "/logs?step=1", token).text())
        .contains("no test command is configured").contains("testing.commands.default");
    assertThat(client.get("/api/v1/tests/" + noCommand, token).data().path("last_result").path("status").asText())
        .isEqualTo("error");
    assertThat(client.get("/api/v1/tests/" + noCommand, token).data().path("cannot_run").asText())
        .contains("testing.commands.default");
    assertThat(client.get("/api/v1/tests/" + passing, token).data().path("cannot_run").isNull()).isTrue();
    assertThat(client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of())).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(passing), "extra", 1)).status())
        .isEqualTo(422);
  }

  @Test
  void operators_cannot_delete_and_viewers_cannot_create() {
    long id = client.post("/api/v1/tests", server.tokenFor(Role.ADMIN), testCase("keep", "net")).data().path("id").asLong();
    var operatorDelete = client.delete("/api/v1/tests/" + id, server.tokenFor(Role.OPERATOR));
    assertThat(operatorDelete.status()).isEqualTo(403);
    assertThat(operatorDelete.body().path("error").path("details").path("required").asText()).isEqualTo("test:delete");
    assertThat(client.post("/api/v1/tests", server.tokenFor(Role.VIEWER), testCase("no", "net")).status()).isEqualTo(403);
    assertThat(client.get("/api/v1/tests/" + id, server.tokenFor(Role.VIEWER)).status()).isEqualTo(200);
  }
}
