package dev.stepwise.tasks.run;

import static dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ScriptedOpenAiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The task-run scenarios with the {@code native} backend (Stepwise's own agent runtime and its
 * workspace tools), and the rules around runs that hold whatever the backend.
 */
public abstract class NativeTaskRunsContract extends TaskRunsContract {
  @Override
  protected String agent() {
    return "native";
  }

  @Override
  protected String tool(String what) {
    return what.equals("write") ? "write_file" : "shell";
  }

  @Override
  protected String pathArgument() {
    return "path";
  }

  @Override
  protected Answer worker(JsonNode request) {
    return nativeWorker(request);
  }

  /** The scenarios' model for the native agent, which writes with write_file and runs commands with shell. */
  public static Answer nativeWorker(JsonNode request) {
    String system = ScriptedOpenAiServer.system(request);
    int results = ScriptedOpenAiServer.toolResultsSincePrompt(request);
    if (system.startsWith("You plan")) return Answer.text("1. Add notes.txt\n", "2. Change line two of app.txt");
    if (system.startsWith("You review")) {
      return results == 0 ? Answer.toolCall("Let me look.", "shell", "{\"command\":\"git status --short\"}")
          : Answer.text("The work does the task.\nVERDICT: PASS");
    }
    return switch (results) {
      case 0 -> Answer.toolCall(null, "write_file", "{\"path\":\"notes.txt\",\"content\":\"first\\nsecond\\n\"}");
      case 1 -> Answer.toolCall(null, "write_file", "{\"path\":\"app.txt\",\"content\":\"one\\nTWO\\nthree\\n\"}");
      default -> Answer.text("I added notes.txt and changed line two of app.txt.");
    };
  }

  @Test
  void a_task_whose_repository_moved_away_fails_at_once_saying_so_and_makes_no_worktree() throws IOException {
    Path repository = repository("moving");
    long id = createTask(Map.of("title", "Moved", "repository_path", repository.toString(),
        "review", Map.of("plan", "none", "merge", "none")));
    java.nio.file.Files.move(repository, repository.resolveSibling("moved-away"));
    model.respond(this::worker);
    assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status()).isEqualTo(202);
    awaitStatus(id, "failed");
    assertThat(task(id).path("error").asText()).contains("is not open to tasks any more: is not a directory on the server");
    assertThat(dataDir().resolve("worktrees/task-" + id)).doesNotExist();
  }

  @Test
  void the_rules_around_runs_hold() throws IOException {
    Path repository = repository("epsilon");
    long id = createTask(Map.of("title", "Rules", "repository_path", repository.toString()));
    String viewer = server.tokenFor(Role.VIEWER);
    assertThat(client.post("/api/v1/tasks/" + id + "/execute", viewer, null).status()).isEqualTo(403);
    assertThat(client.post("/api/v1/tasks/" + id + "/cancel", viewer, null).status()).isEqualTo(403);
    assertThat(client.post("/api/v1/tasks/999999/execute", server.adminToken(), null).status()).isEqualTo(404);
    assertThat(client.post("/api/v1/tasks/" + id + "/cancel", server.adminToken(), null).status()).isEqualTo(409);
    assertThat(client.get("/api/v1/sessions/999999", server.adminToken()).status()).isEqualTo(404);
    assertThat(task(id).path("status").asText()).isEqualTo("todo");

    var plan = client.send("POST", "/api/v1/executions", server.adminToken(),
        "name: sneaky\nsteps:\n  - name: planning\n    type: task\n", "text/yaml");
    assertThat(plan.status()).as("task steps outside a task's run").isEqualTo(422);

    model.respond(this::worker);
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    long sessionId = started.path("session_id").asLong();
    awaitStatus(id, "planning_review");
    assertThat(client.delete("/api/v1/tasks/" + id, server.adminToken()).status()).isEqualTo(409);
    assertThat(client.patch("/api/v1/tasks/" + id, server.adminToken(), Map.of("title", "x")).status()).isEqualTo(409);
    assertThat(client.get("/api/v1/sessions/" + sessionId + "/activity?after=-1", server.adminToken()).status())
        .isEqualTo(422);
    assertThat(client.get("/api/v1/sessions/" + sessionId + "/activity?limit=abc", server.adminToken()).status())
        .isEqualTo(422);
    assertThat(client.get("/api/v1/sessions/" + sessionId, viewer).status()).isEqualTo(200);

    long executionId = started.path("execution_id").asLong();
    var rejected = client.post("/api/v1/executions/" + executionId + "/steps/2/approve", server.adminToken(),
        Map.of("approve", false, "comment", "wrong approach"));
    assertThat(rejected.status()).isEqualTo(200);
    awaitStatus(id, "cancelled");
    assertThat(task(id).path("error").asText()).contains("wrong approach");
    assertThat(client.post("/api/v1/executions/" + executionId + "/retry", server.adminToken(), null).status())
        .as("a task's run is started again through the task").isEqualTo(409);

    Path worktree = dataDir().resolve("worktrees/task-" + id);
    assertThat(worktree).isDirectory();
    assertThat(client.delete("/api/v1/tasks/" + id, server.adminToken()).status()).isEqualTo(200);
    assertThat(worktree).doesNotExist();
    assertThat(client.get("/api/v1/sessions/" + sessionId, server.adminToken()).status()).isEqualTo(404);
  }
}
