package dev.stepwise.agents.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import dev.stepwise.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Agent runs end to end with real sockets: the scripted provider, the OpenAI-compatible provider
 * against a scripted chat-completions server (streaming and tool calls), shell calls under
 * approval (approve, reject, a restart while waiting), direct tool calls, cancel and limits.
 */
public abstract class AgentRunContract extends ServerContract {
  private static final List<String> AGENT_EVENTS = List.of("agent_started", "agent_thinking", "tool_executing",
      "tool_completed", "agent_completed", "agent_error", "approval.requested");

  private ScriptedOpenAiServer model;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    try {
      model = new ScriptedOpenAiServer();
      return builder
          .agentFile("dry-run.yaml", resource("/agents/dry-run.yaml"))
          .agentFile("careful.yaml", """
              name: careful
              model:
                provider: scripted
                script:
                  - thinking: First I write one line.
                    tool: {name: shell, arguments: {command: "echo one >> proof.txt"}}
                  - thinking: Then another.
                    tool: {name: shell, arguments: {command: "echo two >> proof.txt"}}
                  - reply: Both lines are written.
              tools: [shell]
              approval: {shell: always}
              """)
          .agentFile("brief.yaml", """
              name: brief
              model:
                provider: scripted
                script:
                  - tool: {name: shell, arguments: {command: "ls"}}
                  - reply: done
              tools: [shell]
              limits: {max_turns: 1}
              """)
          .agentFile("remote.yaml", """
              name: remote
              model: {provider: openai, base_url: "%s", model: scripted-http}
              tools: [shell]
              approval: {shell: risky}
              """.formatted(model.baseUrl()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopModel() {
    if (model != null) model.close();
  }

  private static String resource(String name) {
    try (var in = AgentRunContract.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WebSocket.Builder builder() {
    return HttpClient.newHttpClient().newWebSocketBuilder();
  }

  private WsClient connectByHeader(String token) throws InterruptedException {
    WsClient client = WsClient.connect(server.port(), builder().header("Authorization", "Bearer " + token));
    assertThat(client.next().path("type").asText()).isEqualTo("connected");
    return client;
  }

  /** The run's agent events (and approval requests) up to and including {@code last}. */
  private static List<JsonNode> eventsUntil(WsClient ws, String last) throws InterruptedException {
    List<JsonNode> seen = new ArrayList<>();
    while (true) {
      JsonNode message = ws.next();
      String type = message.path("type").asText();
      if (AGENT_EVENTS.contains(type)) seen.add(message);
      if (type.equals(last) || type.equals("agent_error") && !last.equals("agent_error")) return seen;
    }
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  private Path workspace(long threadId) {
    return server.config().dataDir().resolve("work").resolve("threads").resolve(Long.toString(threadId));
  }

  @Test
  void clients_by_header_and_by_subprotocol_each_get_the_five_agent_events_in_order() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient byHeader = connectByHeader(token);
    WsClient byProtocol = WsClient.connect(server.port(), builder().subprotocols("stepwise.v1", "bearer." + token));
    assertThat(byProtocol.next().path("type").asText()).isEqualTo("connected");

    for (WsClient ws : List.of(byHeader, byProtocol)) {
      ws.send(Map.of("type", "start_agent", "agent", "dry-run", "message", "What is in the repository?"));
      JsonNode accepted = ws.next();
      assertThat(accepted.path("type").asText()).as(accepted.toString()).isEqualTo("agent_run_accepted");
      long runId = accepted.path("run_id").asLong();
      long threadId = accepted.path("thread_id").asLong();

      List<JsonNode> events = eventsUntil(ws, "agent_completed");
      assertThat(types(events)).containsExactly("agent_started", "agent_thinking", "tool_executing", "tool_completed",
          "agent_thinking", "agent_completed");
      for (JsonNode event : events) {
        assertThat(event.path("data").path("run_id").asLong()).isEqualTo(runId);
        assertThat(event.path("data").path("thread_id").asLong()).isEqualTo(threadId);
        assertThat(event.path("topic").asText()).isEqualTo("thread:" + threadId);
      }
      assertThat(events.get(1).path("data").path("content").asText()).isEqualTo("I will look at the repository first.");
      assertThat(events.get(2).path("data").path("arguments").path("command").asText()).isEqualTo("ls -1");
      assertThat(events.get(3).path("data").path("exit_code").asInt()).isZero();
      assertThat(events.get(3).path("data").path("status").asText()).isEqualTo("completed");
      assertThat(events.get(5).path("data").path("reply").asText()).isEqualTo("The repository has three files.");

      JsonNode messages = client.get("/api/v1/threads/" + threadId + "/messages", token).data().path("items");
      assertThat(messages).hasSize(2);
      assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
      assertThat(messages.get(0).path("content").asText()).isEqualTo("What is in the repository?");
      assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
      assertThat(messages.get(1).path("content").asText()).isEqualTo("The repository has three files.");
      await().atMost(Duration.ofSeconds(20)).until(() ->
          client.get("/api/v1/executions/" + runId, token).data().path("status").asText().equals("completed"));
      assertThat(client.get("/api/v1/executions/" + runId, token).data().path("kind").asText()).isEqualTo("chat");

      // a conversation's events are its owner's: others cannot follow them, nor see them in an unfiltered stream
      WsClient other = connectByHeader(server.tokenFor(Role.VIEWER));
      other.send(Map.of("type", "subscribe", "topics", List.of("thread:" + threadId), "since", 0));
      assertThat(other.next().path("code").asText()).isEqualTo("NOT_FOUND");
      assertThat(client.get("/api/v1/events/stream?topics=thread:" + threadId + "&since=0",
          server.tokenFor(Role.VIEWER)).status()).isEqualTo(404);
    }
  }

  @Test
  void a_second_message_in_a_thread_sees_the_history_and_answers_in_the_same_thread() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "start_agent", "agent", "dry-run", "message", "first"));
    long threadId = ws.nextOfType("agent_run_accepted").path("thread_id").asLong();
    eventsUntil(ws, "agent_completed");
    var sent = client.post("/api/v1/threads/" + threadId + "/messages", token, Map.of("content", "second"));
    assertThat(sent.status()).as(sent.text()).isEqualTo(202);
    assertThat(sent.data().path("message").path("content").asText()).isEqualTo("second");
    long runId = sent.data().path("run_id").asLong();
    List<JsonNode> events = eventsUntil(ws, "agent_completed");
    assertThat(events.getLast().path("data").path("run_id").asLong()).isEqualTo(runId);
    assertThat(client.get("/api/v1/threads/" + threadId + "/messages", token).data().path("items")).hasSize(4);
    assertThat(client.get("/api/v1/threads/" + threadId, token).data().path("last_message").path("content").asText())
        .isEqualTo("The repository has three files.");
  }

  @Test
  void the_openai_compatible_provider_streams_deltas_and_calls_tools() throws Exception {
    model.answer(Answer.toolCall("Let me check.", "shell", "{\"command\": \"echo hello-from-tool\"}"))
        .answer(Answer.text("The tool ", "said hello-from-tool."));
    String token = server.tokenFor(Role.OPERATOR);
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "start_agent", "agent", "remote", "message", "Say hello through the shell"));
    long threadId = ws.nextOfType("agent_run_accepted").path("thread_id").asLong();
    List<JsonNode> events = eventsUntil(ws, "agent_completed");
    List<String> types = types(events);
    assertThat(types.getFirst()).isEqualTo("agent_started");
    assertThat(types.getLast()).isEqualTo("agent_completed");
    int executing = types.indexOf("tool_executing");
    assertThat(types.subList(1, executing)).isNotEmpty().allMatch("agent_thinking"::equals);
    assertThat(types.get(executing + 1)).isEqualTo("tool_completed");
    String streamedFirst = events.subList(1, executing).stream()
        .peek(e -> assertThat(e.path("data").path("delta").asBoolean()).isTrue())
        .map(e -> e.path("data").path("content").asText()).reduce("", String::concat);
    assertThat(streamedFirst).isEqualTo("Let me check.");
    assertThat(events.get(executing + 1).path("data").path("output").asText()).isEqualTo("hello-from-tool\n");
    String streamedReply = events.subList(executing + 2, events.size() - 1).stream()
        .map(e -> e.path("data").path("content").asText()).reduce("", String::concat);
    assertThat(streamedReply).isEqualTo("The tool said hello-from-tool.");
    assertThat(events.getLast().path("data").path("reply").asText()).isEqualTo("The tool said hello-from-tool.");

    assertThat(model.requests).hasSize(2);
    JsonNode first = model.requests.get(0);
    assertThat(first.path("stream").asBoolean()).isTrue();
    assertThat(first.path("model").asText()).isEqualTo("scripted-http");
    assertThat(first.path("tools").toString()).contains("\"shell\"");
    JsonNode second = model.requests.get(1).path("messages");
    JsonNode toolMessage = second.get(second.size() - 1);
    assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(toolMessage.path("content").asText()).isEqualTo("exit code 0\nhello-from-tool\n");
    assertThat(client.get("/api/v1/threads/" + threadId + "/messages", token).data().path("items").get(1)
        .path("content").asText()).isEqualTo("The tool said hello-from-tool.");
  }

  @Test
  void a_rejected_call_is_not_run_and_the_model_is_told_it_was_refused() throws Exception {
    model.answer(Answer.toolCall(null, "shell", "{\"command\": \"rm -f important.txt\"}"))
        .answer(Answer.text("Understood, I will not delete it."));
    String token = server.tokenFor(Role.OPERATOR);
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "start_agent", "agent", "remote", "message", "Clean up"));
    long threadId = ws.nextOfType("agent_run_accepted").path("thread_id").asLong();
    Files.createDirectories(workspace(threadId));
    Files.writeString(workspace(threadId).resolve("important.txt"), "keep me");
    JsonNode requested = eventsUntil(ws, "approval.requested").getLast();
    assertThat(requested.path("data").path("tool").asText()).isEqualTo("shell");
    assertThat(requested.path("data").path("arguments").path("command").asText()).isEqualTo("rm -f important.txt");
    long runId = requested.path("data").path("execution_id").asLong();

    ws.send(Map.of("type", "approve", "execution_id", runId, "step_number", 1, "approve", false,
        "comment", "never delete that"));
    List<JsonNode> rest = eventsUntil(ws, "agent_completed");
    assertThat(types(rest)).doesNotContain("tool_executing").contains("tool_completed");
    JsonNode refused = rest.get(types(rest).indexOf("tool_completed"));
    assertThat(refused.path("data").path("status").asText()).isEqualTo("rejected");
    assertThat(Files.readString(workspace(threadId).resolve("important.txt"))).isEqualTo("keep me");
    JsonNode messages = model.requests.getLast().path("messages");
    assertThat(messages.get(messages.size() - 1).path("content").asText())
        .contains("refused by").contains("never delete that");
    assertThat(rest.getLast().path("data").path("reply").asText()).isEqualTo("Understood, I will not delete it.");
  }

  @Test
  void approval_is_per_call_and_a_restart_while_waiting_keeps_the_run_waiting() throws Exception {
    String token = server.adminToken();
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "start_agent", "agent", "careful", "message", "Write the proof"));
    JsonNode accepted = ws.nextOfType("agent_run_accepted");
    long runId = accepted.path("run_id").asLong();
    long threadId = accepted.path("thread_id").asLong();
    JsonNode first = eventsUntil(ws, "approval.requested").getLast();
    assertThat(first.path("data").path("arguments").path("command").asText()).isEqualTo("echo one >> proof.txt");
    assertThat(first.path("data").path("call_key").asText()).isEqualTo("1.0");
    assertThat(Files.exists(workspace(threadId).resolve("proof.txt"))).isFalse();

    server = server.restart();
    client = server.client();
    String fresh = server.adminToken();
    assertThat(client.get("/api/v1/executions/" + runId, fresh).data().path("status").asText())
        .isEqualTo("waiting_approval");
    JsonNode listed = null;
    for (JsonNode item : client.get("/api/v1/approvals", fresh).data().path("items")) {
      if (item.path("execution_id").asLong() == runId) listed = item;
    }
    assertThat(listed).as("the waiting run is listed to approvers").isNotNull();
    assertThat(listed.path("call").path("call_key").asText()).isEqualTo("1.0");
    assertThat(listed.path("call").path("tool").asText()).isEqualTo("shell");
    assertThat(listed.path("call").path("arguments").path("command").asText()).isEqualTo("echo one >> proof.txt");
    Thread.sleep(1500); // a restarted engine leaves a parked run parked
    assertThat(Files.exists(workspace(threadId).resolve("proof.txt"))).isFalse();

    var approved = client.post("/api/v1/executions/" + runId + "/steps/1/approve", fresh,
        Map.of("approve", true, "call_key", "1.0"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    WsClient after = connectByHeader(fresh);
    after.send(Map.of("type", "subscribe", "topics", List.of("execution:" + runId), "since", 0));
    assertThat(after.nextOfType("approval.requested").path("data").path("call_key").asText()).isEqualTo("1.0");
    JsonNode second = after.nextOfType("approval.requested");
    assertThat(second.path("data").path("arguments").path("command").asText())
        .as("the first approval does not carry over to the next call").isEqualTo("echo two >> proof.txt");
    assertThat(Files.readString(workspace(threadId).resolve("proof.txt"))).isEqualTo("one\n");

    var replayed = client.post("/api/v1/executions/" + runId + "/steps/1/approve", fresh,
        Map.of("approve", true, "call_key", "1.0"));
    assertThat(replayed.status()).as("a decision for the first call cannot land on the second").isEqualTo(409);
    assertThat(Files.readString(workspace(threadId).resolve("proof.txt"))).isEqualTo("one\n");

    after.send(Map.of("type", "approve", "execution_id", runId, "step_number", 1, "approve", true, "call_key", "2.0"));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        client.get("/api/v1/executions/" + runId, fresh).data().path("status").asText().equals("completed"));
    assertThat(Files.readString(workspace(threadId).resolve("proof.txt"))).isEqualTo("one\ntwo\n");
    assertThat(client.get("/api/v1/threads/" + threadId + "/messages", fresh).data().path("items").get(1)
        .path("content").asText()).isEqualTo("Both lines are written.");
  }

  @Test
  void cancelling_a_run_that_waits_ends_it_with_agent_error() throws Exception {
    String token = server.adminToken();
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "start_agent", "agent", "careful", "message", "Write, then stop"));
    long runId = ws.nextOfType("agent_run_accepted").path("run_id").asLong();
    eventsUntil(ws, "approval.requested");
    assertThat(client.post("/api/v1/executions/" + runId + "/cancel", token, Map.of()).status()).isEqualTo(200);
    JsonNode error = eventsUntil(ws, "agent_error").getLast();
    assertThat(error.path("type").asText()).isEqualTo("agent_error");
    assertThat(error.path("data").path("code").asText()).isEqualTo("cancelled");
  }

  @Test
  void the_turn_limit_ends_a_run_with_a_clear_agent_error() throws Exception {
    WsClient ws = connectByHeader(server.tokenFor(Role.OPERATOR));
    ws.send(Map.of("type", "start_agent", "agent", "brief", "message", "List and answer"));
    ws.nextOfType("agent_run_accepted");
    JsonNode error = eventsUntil(ws, "agent_error").getLast();
    assertThat(error.path("data").path("code").asText()).isEqualTo("max_turns");
    assertThat(error.path("data").path("error").asText()).contains("limit of 1 model turns");
  }

  @Test
  void start_agent_checks_its_input_and_permission() throws Exception {
    WsClient viewer = connectByHeader(server.tokenFor(Role.VIEWER));
    viewer.send(Map.of("type", "start_agent", "message", "hi"));
    assertThat(viewer.next().path("code").asText()).isEqualTo("FORBIDDEN");
    WsClient ws = connectByHeader(server.tokenFor(Role.OPERATOR));
    var before = dev.stepwise.testing.Rows.count(server.database(), List.of("threads", "messages", "executions"));
    ws.send(Map.of("type", "start_agent"));
    assertThat(ws.next().path("details").path("fields").path("message").asText()).contains("required");
    ws.send(Map.of("type", "start_agent", "agent", "nobody", "message", "hi"));
    assertThat(ws.next().path("details").path("fields").path("agent").asText()).contains("no agent named 'nobody'");
    ws.send(Map.of("type", "start_agent", "thread_id", 999999, "message", "hi"));
    assertThat(ws.next().path("code").asText()).isEqualTo("NOT_FOUND");
    ws.send(Map.of("type", "start_agent", "thread_id", "x", "message", "hi"));
    assertThat(ws.next().path("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(dev.stepwise.testing.Rows.count(server.database(), List.of("threads", "messages", "executions")))
        .isEqualTo(before);
  }

  private String statusOf(long id, String token) {
    return client.get("/api/v1/executions/" + id, token).data().path("status").asText();
  }

  @Test
  void direct_tool_calls_run_as_executions_under_the_tools_own_policy() throws Exception {
    String token = server.adminToken();
    var shell = client.post("/api/v1/tools/shell/execute", token, Map.of("arguments", Map.of("command", "echo direct-call")));
    assertThat(shell.status()).as(shell.text()).isEqualTo(202);
    assertThat(shell.data().path("needs_approval").asBoolean()).isFalse();
    long shellRun = shell.data().path("run_id").asLong();
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(shellRun, token).equals("completed"));
    assertThat(client.get("/api/v1/executions/" + shellRun, token).data().path("kind").asText()).isEqualTo("agent");
    assertThat(client.get("/api/v1/executions/" + shellRun + "/logs?step=1", token).text()).contains("direct-call");

    var write = client.post("/api/v1/tools/write_file/execute", token,
        Map.of("arguments", Map.of("path", "notes/a.txt", "content", "written")));
    assertThat(write.data().path("needs_approval").asBoolean()).isTrue();
    long writeRun = write.data().path("run_id").asLong();
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(writeRun, token).equals("waiting_approval"));
    Path written = server.config().dataDir().resolve("work").resolve(Long.toString(writeRun)).resolve("notes/a.txt");
    assertThat(written).doesNotExist();
    assertThat(client.post("/api/v1/executions/" + writeRun + "/steps/1/approve", token, Map.of("approve", true)).status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(writeRun, token).equals("completed"));
    assertThat(written).hasContent("written");

    var fetch = client.post("/api/v1/tools/http_get/execute", token,
        Map.of("arguments", Map.of("url", "http://127.0.0.1:" + server.port() + "/api/v1/health")));
    long fetchRun = fetch.data().path("run_id").asLong();
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(fetchRun, token).equals("failed"));
    assertThat(client.get("/api/v1/executions/" + fetchRun, token).data().path("error").asText())
        .contains("tools.http_allow");

    var before = dev.stepwise.testing.Rows.count(server.database(), List.of("executions", "agent_tool_calls"));
    assertThat(client.post("/api/v1/tools/nope/execute", token, Map.of("arguments", Map.of())).status()).isEqualTo(404);
    assertThat(client.post("/api/v1/tools/shell/execute", token, Map.of("arguments", Map.of("cmd", "ls"))).status())
        .isEqualTo(422);
    assertThat(client.post("/api/v1/tools/shell/execute", token, Map.of("args", Map.of())).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/tools/shell/execute", server.tokenFor(Role.VIEWER),
        Map.of("arguments", Map.of("command", "ls"))).status()).isEqualTo(403);
    assertThat(dev.stepwise.testing.Rows.count(server.database(), List.of("executions", "agent_tool_calls")))
        .isEqualTo(before);
  }

  private long submitPlan(String yaml, String token) {
    var response = client.send("POST", "/api/v1/executions", token, yaml, "text/yaml");
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    return response.data().path("id").asLong();
  }

  @Test
  void tool_output_is_masked_with_the_plans_secrets_everywhere_it_is_kept_or_shown() throws Exception {
    String token = server.adminToken();
    long id = submitPlan("""
        name: masked
        kind: agent
        env: {API_TOKEN: {value: s3cr3t-value-42, secret: true}}
        steps:
          - {name: show, type: agent, tool: {name: shell, arguments: {command: "printenv API_TOKEN"}}}
        """, token);
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(id, token).equals("waiting_approval"));
    var approved = client.post("/api/v1/executions/" + id + "/steps/1/approve", token,
        Map.of("approve", true, "call_key", "1.0"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(id, token).equals("completed"));
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    JsonNode completed = ws.nextOfType("tool_completed");
    assertThat(completed.path("data").path("output").asText()).isEqualTo("****\n");
    assertThat(ws.nextOfType("agent_completed").path("data").path("reply").asText()).doesNotContain("s3cr3t");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", token).text()).doesNotContain("s3cr3t");
  }

  @Test
  void a_tool_call_left_waiting_past_the_plans_approval_timeout_ends_the_run() throws Exception {
    String token = server.adminToken();
    long id = submitPlan("""
        name: unanswered
        kind: agent
        approval_timeout: 1s
        steps: [{name: write, type: agent, tool: {name: write_file, arguments: {path: a.txt, content: x}}}]
        """, token);
    WsClient ws = connectByHeader(token);
    ws.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    assertThat(ws.nextOfType("approval.requested").path("data").path("expires_at").asText()).isNotBlank();
    await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(id, token).equals("rejected"));
    JsonNode error = ws.nextOfType("agent_error");
    assertThat(error.path("data").path("code").asText()).isEqualTo("rejected");
    assertThat(server.config().dataDir().resolve("work").resolve(Long.toString(id)).resolve("a.txt")).doesNotExist();
    ws.send(Map.of("type", "approve", "execution_id", id, "step_number", 1, "approve", true, "call_key", 7));
    assertThat(ws.nextOfType("error").path("details").path("fields").path("call_key").asText()).contains("call_key");
  }
}
