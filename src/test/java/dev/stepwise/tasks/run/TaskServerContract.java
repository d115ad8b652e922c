package dev.stepwise.tasks.run;

import static dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A real server whose tasks run with one agent backend against a model the test scripts, and the
 * helpers of the task scenarios: repositories under the configured root, tasks, their activity and
 * their approvals.
 */
public abstract class TaskServerContract extends ServerContract {
  /** How long a task's run may take to get where a test waits for it, on a busy machine. */
  static final Duration WAIT = Duration.ofMinutes(2);

  protected ScriptedOpenAiServer model;
  private Path root;
  private Path dataDir;

  /** The backend under test: {@code native} or {@code opencode}. */
  protected abstract String agent();

  /**
   * The scripted model of every scenario: the planner writes a plan; the worker writes notes.txt
   * (two lines), then changes line two of app.txt, then says what it did; the reviewer runs one safe
   * command and passes the work.
   */
  protected abstract Answer worker(JsonNode request);

  /** How long a phase may run ({@code engine.step_timeout}). */
  protected Duration phaseTimeout() {
    return Duration.ofMinutes(5);
  }

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    try {
      model = new ScriptedOpenAiServer();
      root = Files.createTempDirectory("stepwise-repos-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return builder.tasks(new Config.Tasks(List.of(root), agent(), openCodeCommand())).stepTimeout(phaseTimeout())
        .model(new Config.Model("openai", model.baseUrl(), "scripted-model", null, Duration.ofSeconds(30)));
  }

  /** The OpenCode CLI the tests run: {@code STEPWISE_OPENCODE_COMMAND}, as {@code .ci/run} sets it, else on the PATH. */
  static String openCodeCommand() {
    String command = System.getenv("STEPWISE_OPENCODE_COMMAND");
    return command == null || command.isBlank() ? "opencode" : command;
  }

  /** Fails at once, saying what is missing, when OpenCode is the backend and its CLI is not there (.ci/run installs it). */
  @BeforeAll
  void openCodeIsInstalled() throws Exception {
    if (!agent().equals("opencode")) return;
    String command = openCodeCommand();
    Process version;
    try {
      version = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("these tests run the real OpenCode CLI, and '" + command + "' cannot be run: install it "
          + "with .ci/run (or npm ci --prefix .ci/opencode) and set STEPWISE_OPENCODE_COMMAND", e);
    }
    assertThat(version.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(version.exitValue()).as(command + " --version").isZero();
  }

  @AfterAll
  void stopModel() {
    model.close();
  }

  protected long createTask(Map<String, Object> body) {
    var response = client.post("/api/v1/tasks", server.adminToken(), new HashMap<>(body));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return response.data().path("id").asLong();
  }

  protected JsonNode task(long id) {
    return client.get("/api/v1/tasks/" + id, server.adminToken()).data();
  }

  /**
   * Waits until the task is in {@code status}; when it never gets there, says where it stayed: the
   * task, its session, the session's last activity and the model's last request.
   */
  protected void awaitStatus(long id, String status) {
    awaitStatus(id, status, WAIT);
  }

  /** {@link #awaitStatus(long, String)} within {@code within}. */
  protected void awaitStatus(long id, String status, Duration within) {
    await().atMost(within).untilAsserted(() -> assertThat(task(id).path("status").asText())
        .as(() -> whereItStayed(id)).isEqualTo(status));
  }

  private String whereItStayed(long id) {
    JsonNode task = task(id);
    long sessionId = task.path("session_id").asLong();
    List<JsonNode> activity = sessionId == 0 ? List.of() : activity(sessionId, 0);
    String session = sessionId == 0 ? "none"
        : client.get("/api/v1/sessions/" + sessionId, server.adminToken()).data().toString();
    String lastRequest = model.requests.isEmpty() ? "none"
        : ScriptedOpenAiServer.lastMessage(model.requests.getLast());
    return "task " + task + "\nsession " + session + "\nlast activity "
        + activity.subList(Math.max(0, activity.size() - 8), activity.size()) + "\nmodel requests "
        + model.requests.size() + ", the last ending " + lastRequest;
  }

  protected List<JsonNode> activity(long sessionId, long after) {
    ApiClient.Response response = client.get("/api/v1/sessions/" + sessionId + "/activity?after=" + after,
        server.adminToken());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    List<JsonNode> entries = new ArrayList<>();
    response.data().path("activity").forEach(entries::add);
    return entries;
  }

  protected static List<String> kinds(List<JsonNode> activity) {
    return activity.stream().map(a -> a.path("kind").asText()).toList();
  }

  /** The step the execution waits on for a decision, or 0. */
  protected int waitingStep(long executionId) {
    JsonNode execution = client.get("/api/v1/executions/" + executionId, server.adminToken()).data();
    return execution.path("status").asText().equals("waiting_approval") ? execution.path("approval_step_number").asInt() : 0;
  }

  protected void approve(long executionId, int step) {
    var response = client.post("/api/v1/executions/" + executionId + "/steps/" + step + "/approve", server.adminToken(),
        Map.of("approve", true));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  protected Path dataDir() {
    if (dataDir == null) dataDir = server.config().dataDir();
    return dataDir;
  }

  /** A real repository with one commit: app.txt with three lines. */
  protected Path repository(String name) {
    return GitRepo.appRepository(root, name);
  }
}
