package dev.stepwise.tasks.run;

import static dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.testing.ScriptedOpenAiServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The task-run scenarios with the {@code opencode} backend: the real OpenCode CLI (the pinned one
 * {@code .ci/run} installs), offline, against the scripted model. OpenCode's own tools write the
 * files, its permission requests become Stepwise approvals.
 */
public abstract class OpenCodeTaskRunsContract extends TaskRunsContract {
  @Override
  protected String agent() {
    return "opencode";
  }

  @Override
  protected String tool(String what) {
    return what.equals("write") ? "write" : "bash";
  }

  @Override
  protected String pathArgument() {
    return "filePath";
  }

  @Override
  protected Answer worker(JsonNode request) {
    return openCodeWorker(request);
  }

  /** The scenarios' model for OpenCode, which writes with its own tools (write, read, edit, bash). */
  static Answer openCodeWorker(JsonNode request) {
    if (ScriptedOpenAiServer.system(request).contains("title generator")) return Answer.text("A coding task");
    String prompt = ScriptedOpenAiServer.lastPrompt(request);
    int results = ScriptedOpenAiServer.toolResultsSincePrompt(request);
    if (prompt.contains("write a short, numbered plan")) {
      return Answer.text("1. Add notes.txt\n", "2. Change line two of app.txt");
    }
    if (prompt.contains("Review the work")) {
      return results == 0 ? Answer.toolCall("Let me look.", "bash",
          "{\"command\":\"git status --short\",\"description\":\"Show the changes\"}")
          : Answer.text("The work does the task.\nVERDICT: PASS");
    }
    return switch (results) {
      case 0 -> Answer.toolCall(null, "write", "{\"filePath\":\"notes.txt\",\"content\":\"first\\nsecond\\n\"}");
      case 1 -> Answer.toolCall(null, "read", "{\"filePath\":\"app.txt\"}");
      case 2 -> Answer.toolCall(null, "edit", "{\"filePath\":\"app.txt\",\"oldString\":\"two\\n\",\"newString\":\"TWO\\n\"}");
      default -> Answer.text("I added notes.txt and changed line two of app.txt.");
    };
  }

  @Test
  void an_opencode_that_dies_mid_phase_fails_the_task_with_why_and_the_next_run_starts_it_again() throws Exception {
    Path repository = repository("dies");
    long id = createTask(Map.of("title", "Survive a crash", "repository_path", repository.toString(),
        "review", Map.of("plan", "none", "merge", "none")));
    model.respond(this::worker);
    int before = model.requests.size();
    java.util.concurrent.CountDownLatch held = model.hold();
    client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null);
    await().atMost(WAIT).until(() -> model.requests.size() > before);
    // OpenCode itself (not its supervisor) is killed while it waits on the model
    Path home = dataDir().resolve("opencode").toAbsolutePath();
    try {
      long killed = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(" serve ")
          && !p.info().commandLine().orElse("").contains("opencode-supervisor") && inside(p, home))
          .peek(ProcessHandle::destroyForcibly).count();
      assertThat(killed).isEqualTo(1);
      awaitStatus(id, "failed");
      assertThat(task(id).path("error").asText()).contains("OpenCode stopped while it worked on the phase");
    } finally {
      held.countDown();
      model.hold().countDown();
    }
    assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status()).isEqualTo(202);
    awaitStatus(id, "done");
  }

  private static boolean inside(ProcessHandle process, Path home) {
    try {
      return java.nio.file.Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).equals(home);
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Test
  void health_reports_opencode_and_its_session_is_kept_on_the_task_run() {
    Path repository = repository("health");
    long id = createTask(Map.of("title", "Health", "repository_path", repository.toString(),
        "review", Map.of("plan", "none", "merge", "none")));
    model.respond(this::worker);
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    awaitStatus(id, "done");
    JsonNode agentCli = client.get("/api/v1/health", null).data().path("components").path("agent_cli");
    assertThat(agentCli.path("status").asText()).isEqualTo("healthy");
    assertThat(agentCli.path("backend").asText()).isEqualTo("opencode");
    assertThat(agentCli.path("available").asBoolean()).isTrue();
    assertThat(agentCli.path("running").asBoolean()).isTrue();
    assertThat(agentCli.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    JsonNode session = client.get("/api/v1/sessions/" + started.path("session_id").asLong(), server.adminToken()).data();
    assertThat(session.path("agent_session_id").asText()).startsWith("ses_");
    assertThat(client.get("/api/v1/health", null).text()).doesNotContain("OPENCODE_SERVER_PASSWORD");
  }
}
