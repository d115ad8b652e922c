package dev.stepwise.testcases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Generating tests from functions and diffs through the API, running them for real (a C harness
 * compiled with {@code cc}) and reading their results back, on both databases.
 */
public abstract class TestGenerationApiContract extends ServerContract {
  static final Path SOURCES = Path.of("src/test/resources/sources").toAbsolutePath();
  static final String HARNESS = "cc -Wall -o {test_name} {source_root}/c/harness.c && ./{test_name} {test_name}";

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.testing(new Config.Testing(SOURCES, Map.of("netparse", HARNESS), 64 * 1024));
  }

  private JsonNode finished(long executionId, String token) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        client.get("/api/v1/executions/" + executionId, token).data().path("finished_at").isTextual());
    return client.get("/api/v1/executions/" + executionId, token).data();
  }

  private JsonNode testCase(long id, String token) {
    return client.get("/api/v1/tests/" + id, token).data();
  }

  @Test
  void the_seed_flow_works_verbatim_with_a_form_encoded_request() {
    String token = client.demoLogin();
    var response = client.send("POST", "/api/v1/tests/generate-from-function", token,
        "function_name=test_func&file_path=test.c&subsystem=test&max_tests=1", "application/x-www-form-urlencoded");
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    JsonNode data = response.data();
    assertThat(data.path("test_cases")).hasSize(1);
    JsonNode generated = data.path("test_cases").get(0);
    assertThat(generated.path("name").asText()).isEqualTo("test_test_func_nominal");
    assertThat(generated.path("source").asText()).isEqualTo("generated");
    assertThat(generated.path("generator").asText()).isEqualTo("analyser");
    assertThat(generated.path("subsystem").asText()).isEqualTo("test");
    assertThat(generated.path("command").isNull()).isTrue();
    assertThat(data.path("generator").asText()).isEqualTo("analyser");
    assertThat(data.path("warnings").toString()).contains("test.c was not found under testing.source_root")
        .contains("no test command is configured for subsystem 'test'");
    long executionId = data.path("execution_plan").path("id").asLong();
    assertThat(data.path("execution_plan").path("status").asText()).isIn("queued", "running", "completed");

    var active = client.get("/api/v1/execution/active", token).text();
    var execution = client.get("/api/v1/executions/" + executionId, token).data();
    // it is listed as active until it ends (this one ends failed: the case cannot run), and it may end quickly
    assertThat(active.contains("\"id\":" + executionId) || execution.path("finished_at").isTextual())
        .as("active: %s; execution: %s", active, execution).isTrue();
    assertThat(execution.path("kind").asText()).isEqualTo("test");
    // the case says it cannot run, where the user looks: the case, the response, the step's log
    assertThat(generated.path("cannot_run").asText()).contains("testing.commands.test or testing.commands.default");
    assertThat(testCase(generated.path("id").asLong(), token).path("cannot_run").asText()).contains("testing.commands.test");
    JsonNode done = finished(executionId, token);
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("error").asText()).isEqualTo("1 of 1 test cases did not pass (0 failed, 1 errored)");
    assertThat(done.path("summary").toString()).isEqualTo("{\"passed\":0,\"failed\":0,\"errored\":1,\"total\":1}");
    assertThat(done.path("steps").get(0).path("status").asText()).isEqualTo("failed");
    assertThat(done.path("steps").get(0).path("exit_code").isNull()).as("it could not run").isTrue();
    assertThat(client.get("/api/v1/executions/" + executionId + "/logs?step=1", token).text())
        .contains("cannot run").contains("testing.commands.test or testing.commands.default");
    assertThat(testCase(generated.path("id").asLong(), token).path("last_result").path("status").asText()).isEqualTo("error");
    JsonNode metrics = client.get("/api/v1/execution/metrics", token).data();
    assertThat(metrics.path("failed_last_hour").asLong()).isPositive();
  }

  @Test
  void cases_for_a_real_c_function_compile_run_and_report_per_case() {
    String token = server.tokenFor(Role.OPERATOR);
    var response = client.post("/api/v1/tests/generate-from-function", token, Map.of("function_name", "parse_port",
        "file_path", "c/netparse.c", "subsystem", "netparse", "max_tests", 5, "priority", 7));
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    JsonNode data = response.data();
    assertThat(data.path("warnings")).isEmpty();
    assertThat(data.path("analysis").get(0).path("signature").asText()).isEqualTo("int parse_port(const char *text)");
    List<String> names = StreamSupport.stream(data.path("test_cases").spliterator(), false)
        .map(c -> c.path("name").asText()).toList();
    assertThat(names).containsExactly("test_parse_port_nominal", "test_parse_port_error_einval",
        "test_parse_port_error_einval_2", "test_parse_port_error_erange", "test_parse_port_error_erange_2");
    assertThat(data.path("test_cases").get(0).path("command").asText())
        .isEqualTo("cc -Wall -o test_parse_port_nominal " + SOURCES + "/c/harness.c && ./test_parse_port_nominal "
            + "test_parse_port_nominal");
    JsonNode done = finished(data.path("execution_plan").path("id").asLong(), token);
    assertThat(done.path("priority").asInt()).isEqualTo(7);
    assertThat(done.path("status").asText()).as("one case failed, so the run did").isEqualTo("failed");
    assertThat(done.path("error").asText()).isEqualTo("1 of 5 test cases did not pass (1 failed, 0 errored)");
    assertThat(done.path("summary").path("passed").asInt()).isEqualTo(4);
    assertThat(done.path("summary").path("failed").asInt()).isEqualTo(1);

    List<String> statuses = new ArrayList<>();
    for (JsonNode generated : data.path("test_cases")) {
      JsonNode result = testCase(generated.path("id").asLong(), token).path("last_result");
      statuses.add(result.path("status").asText());
      assertThat(result.path("report").path("format").asText()).isEqualTo("tap");
      assertThat(result.path("report").path("total").asInt()).isEqualTo(1);
    }
    // the harness's expectation for "0" is deliberately wrong: that one case fails
    assertThat(statuses).containsExactly("passed", "passed", "passed", "passed", "failed");
    long failing = data.path("test_cases").get(4).path("id").asLong();
    JsonNode runs = client.get("/api/v1/tests/" + failing + "/runs", token).data().path("items");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("exit_code").asInt()).isEqualTo(1);
    assertThat(runs.get(0).path("report").path("tests").get(0).path("name").asText())
        .contains("parse_port(\"0\") == 0");
  }

  @Test
  void junit_xml_is_read_and_a_case_that_passes_and_fails_is_flaky(@org.junit.jupiter.api.io.TempDir Path dir) {
    String token = server.tokenFor(Role.OPERATOR);
    String junit = "printf '%s\\n' 'build ok' '<?xml version=\"1.0\"?>' '<testsuite name=\"s\" tests=\"3\">' "
        + "'<testcase classname=\"net\" name=\"a\" time=\"0.1\"/>' "
        + "'<testcase classname=\"net\" name=\"b\"><failure message=\"boom\">trace</failure></testcase>' "
        + "'<testcase classname=\"net\" name=\"c\"><skipped/></testcase>' '</testsuite>'";
    long junitCase = client.post("/api/v1/tests", token, Map.of("name", "junit", "command", junit)).data().path("id").asLong();
    Path flag = dir.resolve("flag");
    String alternating = "if [ -f '" + flag + "' ]; then rm '" + flag + "'; echo ok; else touch '" + flag + "'; exit 1; fi";
    long flakyCase = client.post("/api/v1/tests", token, Map.of("name", "alternating", "command", alternating))
        .data().path("id").asLong();

    for (int run = 0; run < 2; run++) {
      var started = client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(junitCase, flakyCase)));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      finished(started.data().path("execution").path("id").asLong(), token);
    }
    JsonNode junitResult = testCase(junitCase, token).path("last_result");
    assertThat(junitResult.path("status").asText()).isEqualTo("failed");
    long lastRun = junitResult.path("execution_id").asLong();
    JsonNode junitStep = client.get("/api/v1/executions/" + lastRun, token).data().path("steps").get(0);
    assertThat(junitStep.path("status").asText()).as("exit 0, but its report has a failure").isEqualTo("failed");
    assertThat(junitStep.path("error").asText()).contains("junit report has 1 failed of 3 tests");
    assertThat(junitResult.path("exit_code").asInt()).isZero();
    assertThat(junitResult.path("report").toString()).contains("\"format\":\"junit\"").contains("\"passed\":1")
        .contains("\"failed\":1").contains("\"skipped\":1");
    JsonNode junitRuns = client.get("/api/v1/tests/" + junitCase + "/runs", token).data().path("items");
    assertThat(junitRuns.get(0).path("report").path("tests").toString()).contains("net.b").contains("boom");
    assertThat(testCase(junitCase, token).path("flaky").asBoolean()).isFalse();

    JsonNode flaky = testCase(flakyCase, token);
    assertThat(flaky.path("flaky").asBoolean()).isTrue();
    assertThat(flaky.path("last_result").path("status").asText()).isEqualTo("passed");
    JsonNode runs = client.get("/api/v1/tests/" + flakyCase + "/runs?limit=1", token).data();
    assertThat(runs.path("items")).hasSize(1);
    assertThat(runs.path("items").get(0).path("status").asText()).isEqualTo("passed");
    JsonNode older = client.get("/api/v1/tests/" + flakyCase + "/runs?limit=1&cursor=" + runs.path("next_cursor").asText(),
        token).data();
    assertThat(older.path("items").get(0).path("status").asText()).isEqualTo("failed");
    assertThat(client.get("/api/v1/tests/987654/runs", token).status()).isEqualTo(404);
  }

  @Test
  void a_diff_gets_regression_cases_for_each_changed_function() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    String original = Files.readString(SOURCES.resolve("c/netparse.c"));
    String diff = unifiedDiff("c/netparse.c", original, original.replace("if (value > MAX_PORT)", "if (value >= MAX_PORT)")
        .replace("\treturn total;", "\treturn total + 0;"));
    var response = client.post("/api/v1/tests/generate-from-diff", token, Map.of("diff", diff, "max_tests", 4,
        "auto_execute", false, "subsystem", "netparse"));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode data = response.data();
    assertThat(data.path("execution_plan").isNull()).isTrue();
    assertThat(data.path("test_cases").toString()).contains("test_parse_port_regression").contains("test_sum_range_regression");
    assertThat(data.path("analysis").toString()).contains("\"status\":\"modified\"");
  }

  /** {@code git diff} of one file changed from {@code before} to {@code after}, in a scratch repository. */
  private static String unifiedDiff(String path, String before, String after) throws Exception {
    Path repo = Files.createTempDirectory("diff-");
    Files.createDirectories(repo.resolve(path).getParent());
    Files.writeString(repo.resolve(path), before);
    GitRepo git = GitRepo.commitAll(repo);
    Files.writeString(repo.resolve(path), after);
    return git.git("diff");
  }

  @Test
  void bad_requests_are_refused_and_store_nothing() {
    String token = server.tokenFor(Role.OPERATOR);
    String path = "/api/v1/tests/generate-from-function";
    var before = Rows.count(server.database(), List.of("test_cases", "executions", "test_runs"));
    ApiClient.Response missing = client.post(path, token, Map.of("subsystem", "x"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().path("error").path("details").path("fields").toString()).contains("function_name")
        .contains("file_path");
    assertThat(client.post(path, token, Map.of("function_name", "f", "file_path", "../etc/passwd")).status()).isEqualTo(422);
    assertThat(client.post(path, token, Map.of("function_name", "f", "file_path", "/etc/passwd")).status()).isEqualTo(422);
    assertThat(client.post(path, token, Map.of("function_name", "f", "file_path", "a.c", "max_tests", 0)).status())
        .isEqualTo(422);
    assertThat(client.post(path, token, Map.of("function_name", "f", "file_path", "a.c", "max_tests", 51)).status())
        .isEqualTo(422);
    assertThat(client.post(path, token, Map.of("function_name", "f; rm -rf /", "file_path", "a.c")).status()).isEqualTo(422);
    assertThat(client.post(path, token, Map.of("function_name", "f", "file_path", "a.c", "subsystem", "a b")).status())
        .isEqualTo(422);
    String form = "application/x-www-form-urlencoded";
    assertThat(client.send("POST", path, token, "function_name=f&file_path=a.c&max_tests=abc", form).status()).isEqualTo(422);
    assertThat(client.send("POST", path, token, "function_name=f&file_path=a.c&colour=red", form).status()).isEqualTo(422);
    assertThat(client.send("POST", path, token, "function_name=f&function_name=g&file_path=a.c", form).status())
        .isEqualTo(422);
    assertThat(client.send("POST", path, token, "function_name=f", "text/plain").status()).isEqualTo(400);
    String diffPath = "/api/v1/tests/generate-from-diff";
    assertThat(client.post(diffPath, token, Map.of("diff", "not a diff")).status()).isEqualTo(422);
    assertThat(client.post(diffPath, token, Map.of("diff", "x".repeat(65 * 1024))).status()).isIn(413, 422);
    String traversal = "--- a/../../x.c\n+++ b/../../x.c\n@@ -1 +1 @@\n-int a(void) { return 1; }\n+int a(void) { return 2; }\n";
    var escaping = client.post(diffPath, token, Map.of("diff", traversal));
    assertThat(escaping.status()).as(escaping.text()).isEqualTo(422);
    assertThat(client.post(path, server.tokenFor(Role.VIEWER), Map.of("function_name", "f", "file_path", "a.c")).status())
        .isEqualTo(403);
    assertThat(Rows.count(server.database(), List.of("test_cases", "executions", "test_runs"))).isEqualTo(before);
  }

  @Test
  void deleting_a_case_does_not_disturb_its_running_execution() {
    String token = server.tokenFor(Role.ADMIN);
    long id = client.post("/api/v1/tests", token, Map.of("name", "slow", "command", "sleep 1; echo done")).data()
        .path("id").asLong();
    long executionId = client.post("/api/v1/execution/start", token, Map.of("test_case_ids", List.of(id))).data()
        .path("execution").path("id").asLong();
    assertThat(client.delete("/api/v1/tests/" + id, token).status()).isEqualTo(200);
    JsonNode done = finished(executionId, token);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("summary").path("passed").asInt()).isEqualTo(1);
    assertThat(done.path("steps").get(0).path("status").asText()).isEqualTo("succeeded");
    assertThat(client.get("/api/v1/tests/" + id + "/runs", token).status()).isEqualTo(404);
  }
}
