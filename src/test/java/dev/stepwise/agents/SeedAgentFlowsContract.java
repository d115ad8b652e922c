package dev.stepwise.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestServer;
import dev.stepwise.testing.WsClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent flows that older clients and new users run verbatim: {@code /agent/execute} with a goal,
 * the seed's agent control ({@code /agents/start}, {@code /stop}, {@code /runs/{id}}), the built-in
 * {@code demo} agent, and the records of refused calls. Both databases.
 */
public abstract class SeedAgentFlowsContract extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES = List.of("executions", "steps", "threads", "messages", "agent_runs");

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.agentFile("careful.yaml", """
        name: careful
        model:
          provider: scripted
          script:
            - tool: {name: shell, arguments: {command: "echo one >> proof.txt"}}
            - reply: I did what I was allowed to.
        tools: [shell]
        approval: {shell: always}
        """);
  }

  private String operator() {
    return server.tokenFor(Role.OPERATOR);
  }

  private JsonNode execution(long id, String token) {
    return client.get("/api/v1/executions/" + id, token).data();
  }

  private List<String> agentEvents(long id, String token) {
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0", token, Map.of())) {
      await().atMost(WAIT).until(() -> stream.has("agent_completed") || stream.has("agent_error"));
      return stream.types().stream().filter(t -> t.startsWith("agent_") || t.startsWith("tool_")).toList();
    }
  }

  @Test
  void agent_execute_with_a_goal_starts_an_agent_run() {
    String token = operator();
    var started = client.post("/api/v1/agent/execute", token, Map.of("agent", "demo", "goal", "Tell me about the machine"));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    long id = started.data().path("session_id").asLong();
    assertThat(started.data().path("status").asText()).isIn("queued", "running", "completed");
    JsonNode done = awaitFinished(id, token);
    assertThat(done.path("kind").asText()).isEqualTo("agent");
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(agentEvents(id, token)).containsExactly("agent_started", "agent_thinking", "tool_executing",
        "tool_completed", "agent_thinking", "agent_completed");
    assertThat(client.get("/api/v1/agent/" + id, token).data().path("steps").get(0).path("status").asText())
        .isEqualTo("succeeded");
  }

  @Test
  void agent_execute_with_an_unknown_agent_or_no_goal_is_a_422_that_stores_nothing() {
    var before = Rows.count(server.database(), TABLES);
    for (Map<String, Object> body : List.of(Map.<String, Object>of("agent", "nobody", "goal", "x"),
        Map.<String, Object>of("agent", "demo"), Map.<String, Object>of("agent", "demo", "goal", "  "),
        Map.<String, Object>of("agent", "demo", "goal", "x", "extra", 1))) {
      var refused = client.post("/api/v1/agent/execute", operator(), body);
      assertThat(refused.status()).as(refused.text()).isEqualTo(422);
    }
    assertThat(Rows.count(server.database(), TABLES)).isEqualTo(before);
  }

  @Test
  void the_seed_agent_control_starts_shows_and_stops_runs_of_their_owner() {
    String token = operator();
    var started = client.post("/api/v1/agents/start", token, Map.of("agent", "demo", "message", "hello"));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    long runId = started.data().path("run_id").asLong();
    assertThat(started.data().path("thread_id").asLong()).isPositive();
    awaitFinished(runId, token);
    JsonNode run = client.get("/api/v1/agents/runs/" + runId, token).data();
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("agent").asText()).isEqualTo("demo");
    assertThat(run.path("turns").asInt()).isEqualTo(2);
    assertThat(run.path("tool_calls").asInt()).isEqualTo(1);
    assertThat(run.path("started_at").isTextual()).isTrue();
    assertThat(client.get("/api/v1/agents/runs/" + runId, server.adminToken()).status()).isEqualTo(200);
    String another = client.post("/api/v1/users", server.adminToken(),
        Map.of("username", "other-operator", "password", "password-other", "role", "operator")).status() == 201
        ? client.login("other-operator", "password-other") : null;
    assertThat(client.get("/api/v1/agents/runs/" + runId, another).status()).isEqualTo(404);
    assertThat(client.post("/api/v1/agents/stop", another, Map.of("run_id", runId)).status()).isEqualTo(404);

    JsonNode parkedRun = client.post("/api/v1/agents/start", token, Map.of("agent", "careful", "message", "go")).data();
    long parked = parkedRun.path("run_id").asLong();
    await().atMost(WAIT).until(() -> execution(parked, token).path("status").asText().equals("waiting_approval"));
    var stopped = client.post("/api/v1/agents/stop", token, Map.of("run_id", parked));
    assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
    assertThat(awaitFinished(parked, token).path("status").asText()).isEqualTo("cancelled");
    // a conversation's agent events go to its thread
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=thread:"
        + parkedRun.path("thread_id").asLong() + "&since=0", token, Map.of())) {
      await().atMost(WAIT).until(() -> stream.has("agent_error"));
      assertThat(stream.events().stream().filter(e -> e.type().equals("agent_error")).findFirst().orElseThrow()
          .data().path("code").asText()).isEqualTo("cancelled");
    }
    assertThat(client.get("/api/v1/agents/runs/999999", token).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/openapi.json", null).body().path("paths").has("/api/v1/agents/runs/{run_id}")).isTrue();
  }

  @Test
  void the_demo_agent_shows_every_agent_event_over_the_websocket_without_a_model() throws Exception {
    var ws = new WsClient();
    ws.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + operator())
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"), ws).join();
    ws.next();
    ws.send(Map.of("type", "start_agent", "agent", "demo", "message", "show me"));
    assertThat(ws.nextOfType("agent_run_accepted").path("run_id").asLong()).isPositive();
    assertThat(ws.nextOfType("agent_started").path("data").path("agent").asText()).isEqualTo("demo");
    assertThat(ws.nextOfType("tool_executing").path("data").path("arguments").path("command").asText()).isEqualTo("uname -a");
    JsonNode completed = ws.nextOfType("tool_completed");
    assertThat(completed.path("data").path("exit_code").asInt()).isZero();
    assertThat(completed.path("data").path("output").asText()).isNotBlank();
    assertThat(ws.nextOfType("agent_completed").path("data").path("reply").asText()).contains("uname -a");
    ws.socket.abort();
  }

  @Test
  void a_thread_with_an_unknown_agent_is_a_422_and_no_thread_is_stored() {
    var before = Rows.count(server.database(), TABLES);
    var refused = client.post("/api/v1/threads", operator(), Map.of("title", "x", "agent", "nobody"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().path("error").path("details").path("fields").path("agent").asText()).contains("nobody");
    assertThat(Rows.count(server.database(), TABLES)).isEqualTo(before);
  }

  @Test
  void a_rejected_direct_call_is_recorded_not_approved_and_its_execution_rejected() {
    String token = server.adminToken();
    var call = client.post("/api/v1/tools/write_file/execute", token,
        Map.of("arguments", Map.of("path", "notes.txt", "content", "hi")));
    long id = call.data().path("run_id").asLong();
    await().atMost(WAIT).until(() -> execution(id, token).path("status").asText().equals("waiting_approval"));
    var decided = client.post("/api/v1/executions/" + id + "/steps/1/approve", token,
        Map.of("approve", false, "comment", "not now"));
    assertThat(decided.status()).as(decided.text()).isEqualTo(200);
    JsonNode rejected = awaitFinished(id, token);
    assertThat(rejected.path("status").asText()).isEqualTo("rejected");
    JsonNode step = rejected.path("steps").get(0);
    assertThat(step.path("status").asText()).isEqualTo("rejected");
    assertThat(step.path("approved").asBoolean(true)).isFalse();
    assertThat(server.config().dataDir().resolve("work").resolve(Long.toString(id)).resolve("notes.txt")).doesNotExist();
  }

  @Test
  void a_rejected_call_of_an_agent_is_recorded_not_approved_and_the_run_goes_on() {
    String token = server.adminToken();
    long runId = client.post("/api/v1/agents/start", token, Map.of("agent", "careful", "message", "go"))
        .data().path("run_id").asLong();
    await().atMost(WAIT).until(() -> execution(runId, token).path("status").asText().equals("waiting_approval"));
    client.post("/api/v1/executions/" + runId + "/steps/1/approve", token, Map.of("approve", false, "comment", "no"));
    JsonNode done = awaitFinished(runId, token);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("steps").get(0).path("approved").asBoolean(true)).isFalse();
    assertThat(done.path("steps").get(0).path("approval_comment").asText()).isEqualTo("no");
  }

  @Test
  void a_tool_call_with_a_path_outside_the_workspace_is_a_422_that_stores_nothing() {
    var before = Rows.count(server.database(), TABLES);
    for (String path : List.of("../secret.txt", "/etc/passwd", "a/../../b", "")) {
      var refused = client.post("/api/v1/tools/read_file/execute", operator(), Map.of("arguments", Map.of("path", path)));
      assertThat(refused.status()).as(path + ": " + refused.text()).isEqualTo(422);
      assertThat(refused.body().path("error").path("details").path("fields").path("arguments").asText()).contains("path");
    }
    assertThat(Rows.count(server.database(), TABLES)).isEqualTo(before);
  }
}
