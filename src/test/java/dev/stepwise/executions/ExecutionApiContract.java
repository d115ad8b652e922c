package dev.stepwise.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The engine through the API (API.md §4, §8): real server, real processes, both databases. */
public abstract class ExecutionApiContract extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private String admin() {
    return server.tokenFor(Role.ADMIN);
  }

  private JsonNode submit(String yaml) {
    var response = client.send("POST", "/api/v1/executions", admin(), yaml, "text/yaml");
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    return response.data();
  }

  private JsonNode execution(long id) {
    return client.get("/api/v1/executions/" + id, admin()).data();
  }

  private JsonNode awaitStatus(long id, String status) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> execution(id).path("status").asText(), status::equals);
    return execution(id);
  }

  private static List<String> steps(JsonNode execution, String field) {
    List<String> values = new ArrayList<>();
    execution.path("steps").forEach(s -> values.add(s.path(field).asText()));
    return values;
  }

  private static boolean processAlive(String marker) {
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().orElse("").contains(marker));
  }

  @Test
  void a_gated_plan_waits_for_approval_then_runs_every_step_and_streams_every_event_in_order() {
    JsonNode queued = submit("""
        name: gated
        steps:
          - {name: deploy, run: "echo deploying", requires_approval: true}
          - {name: verify, run: "echo verified"}
          - {name: report, type: noop}
        """);
    long id = queued.path("id").asLong();
    assertThat(queued.path("status").asText()).isEqualTo("waiting_approval");
    assertThat(queued.path("waiting_for_approval").asBoolean()).isTrue();
    assertThat(queued.path("approval_step_number").asInt()).isEqualTo(1);
    assertThat(steps(queued, "status")).containsExactly("waiting_approval", "pending", "pending");

    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0", admin(), Map.of())) {
      var pending = client.get("/api/v1/approvals?status=pending", admin()).data().path("items");
      assertThat(pending.toString()).contains("\"execution_id\":" + id).contains("deploy");
      assertThat(steps(execution(id), "started_at")).containsOnly("null");

      var approved = client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", true, "comment", "go"));
      assertThat(approved.status()).as(approved.text()).isEqualTo(200);
      JsonNode done = awaitStatus(id, "completed");
      assertThat(steps(done, "status")).containsExactly("succeeded", "succeeded", "succeeded");
      assertThat(done.path("steps").get(0).path("approved_by").asText()).isEqualTo("admin");
      assertThat(done.path("steps").get(1).path("output_tail").asText()).isEqualTo("verified");

      await().atMost(WAIT).until(() -> stream.has("execution.completed"));
      assertThat(stream.types()).containsExactly("execution.queued", "approval.requested", "approval.resolved",
          "execution.started", "step.started", "step.output", "step.completed", "step.started", "step.output",
          "step.completed", "step.started", "step.completed", "execution.completed");
      List<Long> ids = stream.events().stream().map(SseRecorder.Received::id).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void rejecting_a_gated_step_rejects_the_execution_and_skips_the_rest() {
    long id = submit("name: rejected\nsteps: [{name: a, run: 'echo a', requires_approval: true}, {name: b, run: 'echo b'}, {name: c, type: noop}]")
        .path("id").asLong();
    var rejected = client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", false, "comment", "not today"));
    assertThat(rejected.status()).isEqualTo(200);
    JsonNode execution = awaitStatus(id, "rejected");
    assertThat(steps(execution, "status")).containsExactly("rejected", "skipped", "skipped");
    assertThat(execution.path("error").asText()).contains("not today");
    var again = client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", true));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("INVALID_TRANSITION");
  }

  @Test
  void an_undecided_step_is_rejected_or_failed_when_its_approval_times_out() {
    long rejects = submit("name: expires\napproval_timeout: 1s\nsteps: [{name: gate, type: approval}, {name: b, type: noop}]")
        .path("id").asLong();
    long fails = submit("name: expires-fail\napproval_timeout: 1s\non_approval_timeout: fail\nsteps: [{name: gate, type: approval}]")
        .path("id").asLong();
    JsonNode rejected = awaitStatus(rejects, "rejected");
    assertThat(steps(rejected, "status")).containsExactly("rejected", "skipped");
    assertThat(rejected.path("steps").get(0).path("approved_by").asText()).isEqualTo("stepwise (approval_timeout)");
    JsonNode failed = awaitStatus(fails, "failed");
    assertThat(failed.path("error").asText()).contains("nobody decided").contains("approval_timeout");
  }

  @Test
  void the_plan_timeout_also_ends_an_execution_parked_for_approval_or_a_retry() {
    long gated = submit("name: slow-gate\ntimeout: 2s\nsteps: [{name: a, run: 'echo a'}, {name: gate, type: approval}]")
        .path("id").asLong();
    long retrying = submit("name: slow-retry\ntimeout: 2s\nsteps: [{name: a, run: 'exit 1', retries: 5, retry_delay: 1h}]")
        .path("id").asLong();
    JsonNode gatedDone = awaitStatus(gated, "timed_out");
    assertThat(steps(gatedDone, "status")).containsExactly("succeeded", "timed_out");
    assertThat(gatedDone.path("error").asText()).contains("waiting for approval");
    assertThat(awaitStatus(retrying, "timed_out").path("error").asText()).contains("waiting to retry");
  }

  @Test
  void executions_run_only_where_their_labels_are() {
    long linux = submit("name: on-linux\nenvironment: {labels: [linux]}\nsteps: [{name: a, run: 'uname -s'}]").path("id").asLong();
    assertThat(awaitStatus(linux, "completed").path("environment").asText()).isEqualTo("local");
    var gpu = client.send("POST", "/api/v1/executions", admin(),
        "name: on-gpu\nenvironment: {labels: [gpu]}\nsteps: [{name: a, type: noop}]", "text/yaml");
    assertThat(gpu.status()).isEqualTo(422);
    assertThat(gpu.body().path("error").path("details").path("fields").path("environment.labels").asText()).contains("gpu");
  }

  @Test
  void pending_approvals_are_listed_oldest_first() {
    long first = submit("name: first-waiting\nsteps: [{name: gate, type: approval}]").path("id").asLong();
    long second = submit("name: second-waiting\nsteps: [{name: gate, type: approval}]").path("id").asLong();
    List<Long> order = new ArrayList<>();
    client.get("/api/v1/approvals?status=pending", admin()).data().path("items")
        .forEach(item -> order.add(item.path("execution_id").asLong()));
    assertThat(order).containsSubsequence(first, second);
    assertThat(client.get("/api/v1/approvals?status=done", admin()).status()).isEqualTo(422);
  }

  @Test
  void concurrent_decisions_make_one_transition_and_one_409() throws Exception {
    long id = submit("name: race\nsteps: [{name: a, type: approval}, {name: b, type: noop}]").path("id").asLong();
    List<Callable<Integer>> decisions = List.of(
        () -> client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", true)).status(),
        () -> client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("approve", false)).status());
    List<Integer> statuses = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (var future : pool.invokeAll(decisions)) statuses.add(future.get());
    }
    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    await().atMost(WAIT).until(() -> List.of("completed", "rejected").contains(execution(id).path("status").asText()));
  }

  @Test
  void a_timed_out_step_leaves_no_process_behind() {
    String marker = Long.toString(900_000 + ThreadLocalRandom.current().nextInt(99_999));
    long id = submit("name: slow\nsteps: [{name: hang, run: 'sleep " + marker + " & sleep " + marker + "', timeout: 1s}]")
        .path("id").asLong();
    JsonNode execution = awaitStatus(id, "failed");
    assertThat(steps(execution, "status")).containsExactly("timed_out");
    assertThat(execution.path("error").asText()).contains("timed out after 1s");
    await().atMost(Duration.ofSeconds(10)).until(() -> !processAlive("sleep " + marker));
  }

  @Test
  void cancel_kills_the_whole_process_tree_and_a_second_cancel_is_a_clean_409() {
    String marker = Long.toString(800_000 + ThreadLocalRandom.current().nextInt(99_999));
    long id = submit("name: cancel-me\nsteps: [{name: hang, run: 'sleep " + marker + " & sleep " + marker + "'}, {name: after, type: noop}]")
        .path("id").asLong();
    await().atMost(WAIT).until(() -> processAlive("sleep " + marker));
    var cancel = client.post("/api/v1/executions/" + id + "/cancel", admin(), null);
    assertThat(cancel.status()).isIn(200, 202);
    JsonNode execution = awaitStatus(id, "cancelled");
    assertThat(steps(execution, "status")).containsExactly("cancelled", "skipped");
    await().atMost(Duration.ofSeconds(10)).until(() -> !processAlive("sleep " + marker));
    var again = client.post("/api/v1/executions/" + id + "/cancel", admin(), null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("INVALID_TRANSITION");
  }

  @Test
  void only_the_submitter_or_a_canceller_may_cancel() {
    String demo = server.tokenFor(Role.DEMO);
    long mine = client.send("POST", "/api/v1/executions", demo, "name: mine\nsteps: [{name: a, type: approval}]", "text/yaml")
        .data().path("id").asLong();
    long others = submit("name: theirs\nsteps: [{name: a, type: approval}]").path("id").asLong();
    var forbidden = client.post("/api/v1/executions/" + others + "/cancel", demo, null);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().path("error").path("details").path("required").asText()).isEqualTo("execution:cancel");
    assertThat(client.post("/api/v1/executions/" + mine + "/cancel", demo, null).status()).isEqualTo(200);
    assertThat(execution(mine).path("status").asText()).isEqualTo("cancelled");
    assertThat(execution(others).path("status").asText()).isEqualTo("waiting_approval");
  }

  @Test
  void failed_attempts_are_retried_with_backoff_until_one_succeeds() {
    String counter = "/tmp/stepwise-retry-" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    long id = submit("name: flaky\nsteps: [{name: flaky, retries: 2, retry_delay: 100ms, run: 'echo x >> " + counter
        + "; test $(wc -l < " + counter + ") -ge 3'}]").path("id").asLong();
    JsonNode execution = awaitStatus(id, "completed");
    assertThat(execution.path("steps").get(0).path("attempts").asInt()).isEqualTo(3);
  }

  @Test
  void a_failing_step_fails_the_execution_unless_it_may_continue() {
    long strict = submit("name: strict\nsteps: [{name: a, run: 'exit 3'}, {name: b, run: 'echo b'}]").path("id").asLong();
    JsonNode failed = awaitStatus(strict, "failed");
    assertThat(steps(failed, "status")).containsExactly("failed", "skipped");
    assertThat(failed.path("steps").get(0).path("exit_code").asInt()).isEqualTo(3);
    assertThat(failed.path("error").asText()).contains("exited with code 3");
    long lenient = submit("name: lenient\nsteps: [{name: a, run: 'exit 3', continue_on_error: true}, {name: b, run: 'echo b'}]")
        .path("id").asLong();
    assertThat(steps(awaitStatus(lenient, "completed"), "status")).containsExactly("failed", "succeeded");
  }

  @Test
  void secrets_are_masked_and_long_output_is_capped_with_a_marker() {
    long id = submit("""
        name: output
        env: {TOKEN: {value: "s3cr3t-value-42", secret: true}, PLAIN: visible}
        steps:
          - {name: leak, run: 'echo "token=$TOKEN plain=$PLAIN"'}
          - {name: flood, run: 'yes 0123456789 | head -n 120000'}
        """).path("id").asLong();
    awaitStatus(id, "completed");
    String leak = client.get("/api/v1/executions/" + id + "/logs?step=1", admin()).text();
    assertThat(leak).contains("token=**** plain=visible").doesNotContain("s3cr3t");
    String flood = client.get("/api/v1/executions/" + id + "/logs?step=2", admin()).text();
    assertThat(flood.length()).isLessThan(1_100_000);
    assertThat(flood).contains("[output truncated: more than 1048576 bytes");
  }

  @Test
  void steps_see_a_clean_environment_and_long_lines_stay_whole_in_the_log() {
    long id = submit("""
        name: env
        env: {MINE: yes}
        steps:
          - {name: env, run: 'env | cut -d= -f1 | sort'}
          - {name: long, run: 'head -c 100000 /dev/zero | tr "\\0" a; echo; echo after'}
        """).path("id").asLong();
    awaitStatus(id, "completed");
    List<String> names = client.get("/api/v1/executions/" + id + "/logs?step=1", admin()).text().lines().toList();
    assertThat(names).contains("MINE", "STEPWISE_EXECUTION_ID", "STEPWISE_STEP_NUMBER", "STEPWISE_STEP_MARK", "PATH")
        .allMatch(name -> List.of("MINE", "STEPWISE_EXECUTION_ID", "STEPWISE_STEP_NUMBER", "STEPWISE_STEP_MARK", "PATH",
            "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD").contains(name));
    // the log keeps a 100 KB line whole (it is under the output cap); only the live event is cut, with a marker
    List<String> lines = client.get("/api/v1/executions/" + id + "/logs?step=2", admin()).text().lines().toList();
    assertThat(lines.getFirst()).hasSize(100_000).matches("a+");
    assertThat(lines).contains("after");
    String live;
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0", admin(), Map.of())) {
      await().atMost(WAIT).until(() -> stream.has("execution.completed"));
      live = stream.events().stream().filter(e -> e.type().equals("step.output") && e.data().path("step_number").asInt() == 2)
          .findFirst().orElseThrow().data().path("lines").get(0).asText();
    }
    assertThat(live).startsWith("a".repeat(8192)).endsWith(" [line cut: " + (100_000 - 8192)
        + " more characters in the step's log]");
  }

  @Test
  void bad_input_on_execution_routes_is_a_4xx_that_changes_nothing() {
    long id = submit("name: gate\nsteps: [{name: a, type: approval}]").path("id").asLong();
    assertThat(client.post("/api/v1/executions/" + id + "/steps/4294967297/approve", admin(), Map.of("approve", true)).status())
        .isEqualTo(404);
    assertThat(client.post("/api/v1/executions/" + id + "/steps/2/approve", admin(), Map.of("approve", true)).status())
        .isEqualTo(404);
    assertThat(client.post("/api/v1/executions/" + id + "/steps/1/approve", admin(), Map.of("comment", "no decision")).status())
        .isEqualTo(422);
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=x", admin()).status()).isEqualTo(422);
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=9", admin()).status()).isEqualTo(422);
    assertThat(client.get("/api/v1/executions?status=sleeping", admin()).status()).isEqualTo(422);
    assertThat(client.get("/api/v1/executions/-1", admin()).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/events/stream?topics=everything", admin()).status()).isEqualTo(422);
    assertThat(client.get("/api/v1/executions/" + id + "/events?since=-5", admin()).status()).isEqualTo(422);
    var headers = client.send("POST", "/api/v1/executions", admin(),
        "name: h\nsteps: [{name: a, type: http, http: {url: 'http://127.0.0.1:1/', headers: {Host: x, 'bad name': y}}}]", "text/yaml");
    assertThat(headers.status()).isEqualTo(422);
    assertThat(headers.body().path("error").path("details").path("fields").toString())
        .contains("steps[0].http.headers.Host").contains("steps[0].http.headers.bad name");
    assertThat(execution(id).path("status").asText()).isEqualTo("waiting_approval");
  }

  @Test
  void an_http_step_calls_out_and_records_the_status() {
    long id = submit("name: http\nsteps: [{name: health, type: http, http: {url: '" + client.baseUrl() + "/api/v1/health'}},"
        + " {name: missing, type: http, continue_on_error: true, http: {url: '" + client.baseUrl() + "/nope'}}]").path("id").asLong();
    JsonNode execution = awaitStatus(id, "completed");
    assertThat(steps(execution, "status")).containsExactly("succeeded", "failed");
    assertThat(steps(execution, "exit_code")).containsExactly("200", "404");
  }

  @Test
  void a_reconnecting_sse_client_gets_exactly_the_events_after_its_last_id() {
    long id = submit("name: resume\nsteps: [{name: a, run: 'echo 1; echo 2'}, {name: b, type: noop}, {name: c, run: 'echo 3'}]")
        .path("id").asLong();
    awaitStatus(id, "completed");
    List<SseRecorder.Received> all;
    try (var full = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0", admin(), Map.of())) {
      await().atMost(WAIT).until(() -> full.has("execution.completed"));
      all = full.events();
    }
    assertThat(all.size()).isGreaterThan(6);
    long k = all.get(3).id();
    try (var resumed = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events", admin(),
        Map.of("Last-Event-ID", Long.toString(k)))) {
      await().atMost(WAIT).until(() -> resumed.has("execution.completed"));
      assertThat(resumed.events()).isEqualTo(all.subList(4, all.size()));
    }
  }

  @Test
  void live_subscribers_of_the_event_stream_see_new_executions_without_a_gap() {
    try (var live = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=executions", admin(), Map.of())) {
      await().atMost(WAIT).until(() -> live.status() == 200);
      long id = submit("name: live\nsteps: [{name: a, type: noop}]").path("id").asLong();
      await().atMost(WAIT).until(() -> live.events().stream()
          .anyMatch(e -> e.type().equals("execution.completed") && e.data().path("execution_id").asLong() == id));
      assertThat(live.types()).doesNotContain("step.started", "step.completed");
    }
  }

  @Test
  void a_plan_with_a_typo_is_refused_and_nothing_is_stored() {
    List<String> probes = List.of("SELECT COUNT(*) FROM executions",
        "SELECT COUNT(*) FROM events WHERE type = 'execution.queued' AND data LIKE '%\"typo\"%'");
    var before = Rows.snapshot(server.database(), probes);
    var response = client.send("POST", "/api/v1/executions", admin(),
        "name: typo\nsteps: [{name: a, run: 'rm -rf /tmp/x', requires_aproval: true}]", "text/yaml");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.body().path("error").path("details").path("fields").has("steps[0].requires_aproval")).isTrue();
    var json = client.post("/api/v1/executions", admin(), Map.of("plan_yaml", "name: [broken"));
    assertThat(json.status()).isEqualTo(422);
    assertThat(Rows.snapshot(server.database(), probes)).isEqualTo(before);
  }

  @Test
  void retry_runs_the_same_plan_again() {
    long id = submit("name: again\nsteps: [{name: a, run: 'echo once'}]").path("id").asLong();
    awaitStatus(id, "completed");
    var retried = client.post("/api/v1/executions/" + id + "/retry", admin(), null);
    assertThat(retried.status()).isEqualTo(202);
    long second = retried.data().path("id").asLong();
    assertThat(retried.data().path("retry_of").asLong()).isEqualTo(id);
    awaitStatus(second, "completed");
  }

  @Test
  void the_seed_views_show_the_same_executions() {
    var session = client.post("/api/v1/agent/execute", admin(), Map.of("name", "session",
        "steps", List.of(Map.of("name", "plan", "run", "echo planning", "requires_approval", true), Map.of("name", "do", "run", "echo done"))));
    assertThat(session.status()).isEqualTo(202);
    long id = session.data().path("session_id").asLong();
    assertThat(session.data().path("status").asText()).isEqualTo("waiting_approval");
    assertThat(client.get("/api/v1/agent/approvals/pending", admin()).data().path("items").toString()).contains("\"execution_id\":" + id);
    var active = client.get("/api/v1/execution/active", admin()).data();
    assertThat(active.path("executions").toString()).contains("\"id\":" + id);
    assertThat(active.path("total").asInt()).isPositive();
    var approve = client.post("/api/v1/agent/" + id + "/approve-step?step_number=1", admin(), Map.of("approve", true));
    assertThat(approve.status()).as(approve.text()).isEqualTo(200);
    await().atMost(WAIT).until(() -> client.get("/api/v1/agent/" + id, admin()).data().path("status").asText().equals("completed"));
    // a goal starts an agent working towards it (SeedAgentFlowsContract follows it through)
    var goal = client.post("/api/v1/agent/execute", admin(), Map.of("agent", "default", "goal", "x"));
    assertThat(goal.status()).as(goal.text()).isEqualTo(202);
    assertThat(goal.data().path("execution").path("kind").asText()).isEqualTo("agent");

    var started = client.post("/api/v1/execution/start", admin(), Map.of("name", "seed-start", "steps", List.of(Map.of("name", "a", "type", "noop"))));
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.data().path("orchestrator_status").asText()).isEqualTo("healthy");
    long startedId = started.data().path("execution").path("id").asLong();
    awaitStatus(startedId, "completed");
    var metrics = client.get("/api/v1/execution/metrics", admin()).data();
    assertThat(metrics.path("completed_last_hour").asLong()).isPositive();
    assertThat(metrics.path("dispatch_latency_ms_p50").isNumber()).isTrue();
    var poll = client.post("/api/v1/execution/orchestrator/poll", admin(), null).data();
    assertThat(poll.has("detected_plans")).isTrue();
    var restart = client.post("/api/v1/execution/orchestrator/restart", admin(), null).data();
    assertThat(restart.path("restarted").asBoolean()).isTrue();
    long afterRestart = submit("name: after-restart\nsteps: [{name: a, type: noop}]").path("id").asLong();
    awaitStatus(afterRestart, "completed");
  }

  private List<JsonNode> listed(String query) {
    List<JsonNode> items = new ArrayList<>();
    client.get("/api/v1/executions?" + query + "&limit=200", admin()).data().path("items").forEach(items::add);
    return items;
  }

  @Test
  void a_list_filtered_by_status_or_kind_holds_only_those() {
    long failed = submit("name: listed-failing\nsteps: [{name: a, run: 'exit 3'}]").path("id").asLong();
    long completed = submit("name: listed-done\nsteps: [{name: a, type: noop}]").path("id").asLong();
    long waiting = submit("name: listed-gate\nsteps: [{name: a, type: approval}]").path("id").asLong();
    awaitStatus(failed, "failed");
    awaitStatus(completed, "completed");

    for (String status : List.of("failed", "completed", "waiting_approval")) {
      assertThat(listed("status=" + status)).as(status).isNotEmpty()
          .allSatisfy(item -> assertThat(item.path("status").asText()).isEqualTo(status));
    }
    assertThat(listed("status=failed")).extracting(item -> item.path("id").asLong()).contains(failed)
        .doesNotContain(completed, waiting);
    assertThat(listed("status=completed")).extracting(item -> item.path("id").asLong()).contains(completed)
        .doesNotContain(failed, waiting);
    assertThat(listed("status=waiting_approval")).extracting(item -> item.path("id").asLong()).contains(waiting)
        .doesNotContain(failed, completed);
    assertThat(listed("status=failed&kind=command")).extracting(item -> item.path("id").asLong()).contains(failed);
    assertThat(listed("status=failed&kind=agent")).extracting(item -> item.path("id").asLong()).doesNotContain(failed);
  }

  @Test
  void an_execution_submitted_to_an_idle_node_starts_in_the_transaction_that_queues_it() {
    await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM executions WHERE status IN ('queued', 'running')") == 0);

    JsonNode submitted = submit("name: at-once\nsteps: [{name: a, type: noop}, {name: b, run: 'echo b'}]");

    assertThat(submitted.path("status").asText()).as("the answer already says it started").isEqualTo("running");
    assertThat(submitted.path("started_at").isNull()).isFalse();
    long id = submitted.path("id").asLong();
    assertThat(steps(awaitStatus(id, "completed"), "status")).containsExactly("succeeded", "succeeded");
    var events = Rows.snapshot(server.database(), List.of("SELECT id, type FROM events WHERE topic = 'execution:" + id
        + "' AND type IN ('execution.queued', 'execution.started') ORDER BY id")).getFirst();
    assertThat(events).extracting(row -> String.valueOf(row.get(1))).containsExactly("execution.queued", "execution.started");
    assertThat(count("SELECT fence FROM executions WHERE id = " + id)).as("leased once").isEqualTo(1);
  }

  @Test
  void a_high_priority_execution_overtakes_a_thousand_queued_low_priority_ones() throws Exception {
    String gate = "/tmp/stepwise-gate-" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    List<Long> blockers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      blockers.add(submit("name: blocker\npriority: 10\nsteps: [{name: wait, run: 'while [ ! -f " + gate
          + " ]; do sleep 0.05; done'}]").path("id").asLong());
    }
    for (long blocker : blockers) awaitStatus(blocker, "running");
    List<Callable<Long>> lows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lows.add(() -> client.send("POST", "/api/v1/executions", admin(), "name: low\npriority: 1\nsteps: [{name: a, type: noop}]",
          "text/yaml").data().path("id").asLong());
    }
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (var future : pool.invokeAll(lows)) assertThat(future.get()).isPositive();
    }
    long high = submit("name: high\npriority: 9\nsteps: [{name: a, type: noop}]").path("id").asLong();
    java.nio.file.Files.writeString(java.nio.file.Path.of(gate), "go");
    JsonNode highDone = awaitStatus(high, "completed");
    String highStarted = highDone.path("started_at").asText();
    var lowStarts = Rows.snapshot(server.database(), List.of(
        "SELECT COUNT(*) FROM executions WHERE name = 'low' AND started_at IS NOT NULL AND started_at < "
            + "(SELECT started_at FROM executions WHERE id = " + high + ")"));
    assertThat(lowStarts.getFirst().getFirst().getFirst()).as("low ones started before " + highStarted).isEqualTo("0");
    // let the low ones drain, so that they do not disturb the other tests on this server
    await().atMost(Duration.ofSeconds(120))
        .conditionEvaluationListener(reportWhenStuck(
            "SELECT id, status, lease_owner, lease_expires_at, run_after, fence FROM executions "
                + "WHERE finished_at IS NULL ORDER BY id LIMIT 20",
            "SELECT execution_id, step_number, status, attempts FROM steps WHERE execution_id IN "
                + "(SELECT id FROM executions WHERE finished_at IS NULL) ORDER BY execution_id LIMIT 20"))
        .until(() -> Rows.snapshot(server.database(), List.of(
            "SELECT COUNT(*) FROM executions WHERE name IN ('low', 'blocker') AND finished_at IS NULL"))
            .getFirst().getFirst().getFirst().equals("0"));
    java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(gate));
  }

  @Test
  void many_plans_are_queued_in_one_request_and_all_run() {
    long before = count("SELECT COUNT(*) FROM executions");
    var response = client.post("/api/v1/executions", admin(), Map.of("plans", List.of(
        Map.of("name", "bulk-a", "steps", List.of(Map.of("name", "a", "type", "noop"))),
        Map.of("plan_yaml", "name: bulk-b\nsteps: [{name: b, run: 'echo from-bulk'}]"),
        Map.of("name", "bulk-c", "steps", List.of(Map.of("name", "gate", "type", "approval"))))));
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    List<Long> ids = new ArrayList<>();
    response.data().path("execution_ids").forEach(id -> ids.add(id.asLong()));
    assertThat(response.data().path("count").asInt()).isEqualTo(3);
    assertThat(ids).hasSize(3).isSorted().doesNotHaveDuplicates();
    assertThat(count("SELECT COUNT(*) FROM executions")).isEqualTo(before + 3);
    assertThat(awaitStatus(ids.get(0), "completed").path("name").asText()).isEqualTo("bulk-a");
    awaitStatus(ids.get(1), "completed");
    assertThat(client.get("/api/v1/executions/" + ids.get(1) + "/logs?step=1", admin()).text()).contains("from-bulk");
    assertThat(execution(ids.get(2)).path("status").asText()).as("a gate waits as it would alone")
        .isEqualTo("waiting_approval");
    client.post("/api/v1/executions/" + ids.get(2) + "/steps/1/approve", admin(), Map.of("approve", false));
  }

  @Test
  void a_bulk_submission_with_one_bad_plan_is_refused_whole_naming_each_bad_field() {
    long before = count("SELECT COUNT(*) FROM executions");
    var response = client.post("/api/v1/executions", admin(), Map.of("plans", List.of(
        Map.of("name", "fine", "steps", List.of(Map.of("name", "a", "type", "noop"))),
        Map.of("name", "no-steps", "steps", List.of()),
        Map.of("plan_yaml", "name: x\nsteps: [{name: s, type: bogus}]"),
        "not a plan")));
    assertThat(response.status()).as(response.text()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    JsonNode fields = response.body().path("error").path("details").path("fields");
    assertThat(fields.has("plans[1].steps")).as(fields.toString()).isTrue();
    assertThat(fields.has("plans[2].steps[0].type")).as(fields.toString()).isTrue();
    assertThat(fields.has("plans[3].plan")).as(fields.toString()).isTrue();
    assertThat(fields.has("plans[0].steps")).isFalse();
    assertThat(count("SELECT COUNT(*) FROM executions")).as("nothing was queued").isEqualTo(before);

    for (Object plans : List.of(List.of(), "x", Map.of())) {
      var bad = client.post("/api/v1/executions", admin(), Map.of("plans", plans));
      assertThat(bad.status()).as(bad.text()).isEqualTo(422);
      assertThat(bad.body().path("error").path("details").path("fields").has("plans")).isTrue();
    }
    var plan = Map.of("name", "n", "steps", List.of(Map.of("name", "a", "type", "noop")));
    var tooMany = client.post("/api/v1/executions", admin(), Map.of("plans", java.util.Collections.nCopies(1001, plan)));
    assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(422);
    assertThat(tooMany.text()).contains("at most 1000");
    assertThat(count("SELECT COUNT(*) FROM executions")).isEqualTo(before);
  }

  @Test
  void a_thousand_plans_in_one_request_are_queued_at_once_and_drain() {
    var plan = Map.of("name", "thousand", "steps", List.of(Map.of("name", "a", "type", "noop")));
    var response = client.post("/api/v1/executions", admin(), Map.of("plans", java.util.Collections.nCopies(1000, plan)));
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    assertThat(response.data().path("execution_ids").size()).isEqualTo(1000);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        count("SELECT COUNT(*) FROM executions WHERE name = 'thousand' AND status = 'completed'") == 1000);
    assertThat(count("SELECT COUNT(*) FROM events WHERE type = 'execution.completed' AND data LIKE '%\"thousand\"%'"))
        .as("each completed once").isEqualTo(1000);
  }

  @Test
  void a_node_used_to_noop_work_keeps_only_a_few_of_the_long_executions_that_follow_and_runs_each_once()
      throws Exception {
    // a thousand noop executions: the node learns that its executions need no worker, and claims many at once
    var noop = Map.of("name", "hoard-noop", "steps", List.of(Map.of("name", "a", "type", "noop")));
    assertThat(client.post("/api/v1/executions", admin(), Map.of("plans", java.util.Collections.nCopies(1000, noop)))
        .status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        count("SELECT COUNT(*) FROM executions WHERE name = 'hoard-noop' AND status = 'completed'") == 1000);

    String gate = "/tmp/stepwise-gate-" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    var waiting = Map.of("plan_yaml", "name: hoard-long\nsteps: [{name: wait, run: 'while [ ! -f " + gate
        + " ]; do sleep 0.05; done'}]");
    for (int i = 0; i < 3; i++) {
      var queued = client.post("/api/v1/executions", admin(), Map.of("plans", java.util.Collections.nCopies(200, waiting)));
      assertThat(queued.status()).as(queued.text()).isEqualTo(202);
    }
    // what the node claimed beyond its 4 workers and the small prefetch goes back to the shared queue
    String leased = "SELECT COUNT(*) FROM executions WHERE name = 'hoard-long' AND lease_owner IS NOT NULL";
    await().atMost(Duration.ofSeconds(30)).until(() -> count(leased) == 4 + dev.stepwise.orchestrator.Prefetch.FEW);
    assertThat(count("SELECT COUNT(*) FROM steps WHERE status = 'running' AND execution_id IN "
        + "(SELECT id FROM executions WHERE name = 'hoard-long')")).as("only the workers' steps started").isEqualTo(4);

    java.nio.file.Files.writeString(java.nio.file.Path.of(gate), "go");
    try {
      await().atMost(Duration.ofSeconds(120)).conditionEvaluationListener(reportWhenStuck(
          "SELECT status, error, COUNT(*) FROM executions WHERE name = 'hoard-long' GROUP BY status, error",
          "SELECT s.status, s.attempts, COUNT(*) FROM steps s JOIN executions e ON e.id = s.execution_id "
              + "WHERE e.name = 'hoard-long' GROUP BY s.status, s.attempts")).until(() -> count("SELECT COUNT(*) FROM executions WHERE name = 'hoard-long' AND status = 'completed'") == 600);
      assertThat(count("SELECT COUNT(*) FROM steps WHERE attempts = 1 AND status = 'succeeded' AND execution_id IN "
          + "(SELECT id FROM executions WHERE name = 'hoard-long')")).as("each step ran once").isEqualTo(600);
      assertThat(count("SELECT COUNT(*) FROM events WHERE type = 'execution.started' AND data LIKE '%\"hoard-long\"%'"))
          .as("each started once, given back or not").isEqualTo(600);
      // a node that keeps few claims no more than it keeps: none is claimed and given back again and again
      assertThat(count("SELECT MAX(fence) FROM executions WHERE name = 'hoard-long'")).as("leases per execution")
          .isLessThanOrEqualTo(2);
      assertThat(count("SELECT COUNT(*) FROM events WHERE type = 'execution.queued' AND data LIKE '%back in the queue%'"))
          .as("each given back said so").isEqualTo(count("SELECT COUNT(*) FROM executions WHERE name = 'hoard-long' "
              + "AND fence = 2"));
    } finally {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(gate));
    }
  }

  /** Prints what {@code queries} find in the last second of a wait, so that a timeout says where things stayed. */
  private org.awaitility.core.ConditionEvaluationListener<Object> reportWhenStuck(String... queries) {
    return condition -> {
      if (condition.getRemainingTimeInMS() < 1000) {
        System.err.println("STUCK: " + Rows.snapshot(server.database(), List.of(queries)));
      }
    };
  }

  private long count(String query) {
    return Long.parseLong(String.valueOf(Rows.snapshot(server.database(), List.of(query)).getFirst().getFirst().getFirst()));
  }
}
