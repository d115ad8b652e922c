package dev.stepwise.tasks.run;

import static dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.SseRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Task runs on the engine with an agent backend against an OpenAI-compatible server the test
 * scripts (API.md §6), the same scenarios for every backend: execute answers at once, the task
 * follows its phases and reviews, the agent's tool calls change real files in the task's worktree,
 * the activity and the events tell all of it, and nothing is left stuck.
 */
public abstract class TaskRunsContract extends TaskServerContract {
  /** The agent's tools by what they do: {@code write} (a new file), {@code shell}. */
  protected abstract String tool(String what);

  /** The argument that names a file in the agent's write tool. */
  protected abstract String pathArgument();

  @Test
  void execute_answers_before_the_model_does_and_the_task_goes_through_every_phase_to_done() throws Exception {
    Path repository = repository("alpha");
    Files.writeString(repository.resolve("AGENTS.md"), "Keep notes.txt in lower case.\n");
    GitRepo.at(repository).commit("what the repository asks of agents");
    long id = createTask(Map.of("title", "Add notes", "description", "Add notes.txt and shout line two",
        "repository_path", repository.toString()));
    model.respond(this::worker);
    CountDownLatch held = model.hold();
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=task:" + id, server.adminToken(),
        Map.of())) {
      await().atMost(WAIT).until(() -> stream.status() == 200);
      var started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null);
      // the model holds every answer until the latch opens, which happens only after execute has answered:
      // so the 202 cannot have waited for the agent
      assertThat(held.getCount()).isEqualTo(1);
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      JsonNode data = started.data();
      assertThat(data.path("task_id").asLong()).isEqualTo(id);
      assertThat(data.path("status").asText()).isEqualTo("execution_started");
      long sessionId = data.path("session_id").asLong();
      long executionId = data.path("execution_id").asLong();
      assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status())
          .as("a second execute while the first runs").isEqualTo(409);
      await().atMost(WAIT).until(() -> model.requests.size() == 1);
      assertThat(task(id).path("status").asText()).isEqualTo("planning");
      held.countDown();
      model.hold().countDown();

      awaitStatus(id, "planning_review");
      assertThat(task(id).path("plan").asText()).contains("1. Add notes.txt");
      approve(executionId, 2);
      await().atMost(WAIT).until(() -> waitingStep(executionId) == 5);
      JsonNode reviewed = task(id);
      assertThat(reviewed.path("status").asText()).isEqualTo("ai_review");
      approve(executionId, 5);
      awaitStatus(id, "done");

      JsonNode done = task(id);
      assertThat(done.path("files_changed").asInt()).isEqualTo(2);
      assertThat(done.path("additions").asInt()).isEqualTo(3);
      assertThat(done.path("deletions").asInt()).isEqualTo(1);
      assertThat(done.path("session_id").asLong()).isEqualTo(sessionId);
      assertThat(done.path("error").isNull()).isTrue();
      Path worktree = dataDir().resolve("worktrees/task-" + id);
      assertThat(Files.readString(worktree.resolve("notes.txt"))).isEqualTo("first\nsecond\n");
      assertThat(Files.readString(worktree.resolve("app.txt"))).isEqualTo("one\nTWO\nthree\n");
      assertThat(Files.exists(repository.resolve("notes.txt"))).as("the user's checkout is untouched").isFalse();
      assertThat(model.requests.stream().map(ScriptedOpenAiServer::lastPrompt))
          .as("the work phase's prompt carries the repository's AGENTS.md")
          .anyMatch(prompt -> prompt.contains("Carry out the task")
              && prompt.contains("Keep notes.txt in lower case."));
      String diff = client.get("/api/v1/tasks/" + id + "/diff", server.adminToken()).text();
      assertThat(diff).contains("+++ b/notes.txt", "-two", "+TWO");

      JsonNode session = client.get("/api/v1/sessions/" + sessionId, server.adminToken()).data();
      assertThat(session.path("task_id").asLong()).isEqualTo(id);
      assertThat(session.path("execution_id").asLong()).isEqualTo(executionId);
      assertThat(session.path("agent").asText()).isEqualTo(agent());
      assertThat(session.path("status").asText()).isEqualTo("completed");
      assertThat(session.path("finished_at").isTextual()).isTrue();
      List<JsonNode> activity = activity(sessionId, 0);
      List<Long> seqs = activity.stream().map(a -> a.path("seq").asLong()).toList();
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
      JsonNode write = activity.stream().filter(a -> a.path("kind").asText().equals("tool_call")
          && a.path("tool").asText().equals(tool("write"))).findFirst().orElseThrow();
      assertThat(write.path("data").path("arguments").path(pathArgument()).asText()).isEqualTo("notes.txt");
      assertThat(write.path("data").path("arguments").path("content").asText()).isEqualTo("first\nsecond\n");
      assertThat(activity).anySatisfy(a -> {
        assertThat(a.path("kind").asText()).isEqualTo("tool_result");
        assertThat(a.path("tool").asText()).isEqualTo(tool("shell"));
        assertThat(a.path("data").path("exit_code").asInt()).isZero();
        assertThat(a.path("text").asText()).contains("notes.txt");
      });
      assertThat(kinds(activity)).contains("status", "message", "tool_call", "tool_result", "approval_requested",
          "approval_resolved");
      assertThat(activity.getLast().path("kind").asText()).isEqualTo("status");
      List<JsonNode> after = activity(sessionId, seqs.get(seqs.size() - 3));
      assertThat(after).hasSize(2);

      await().atMost(WAIT).until(() -> stream.has("session.completed"));
      List<String> statuses = new ArrayList<>();
      List<String> order = new ArrayList<>();
      for (SseRecorder.Received event : stream.events()) {
        if (event.type().equals("task.status_changed")) {
          statuses.add(event.data().path("from").asText() + "→" + event.data().path("to").asText());
          order.add("status");
        } else if (event.type().startsWith("session.") && !event.type().equals("session.activity")) {
          order.add(event.type());
        }
      }
      assertThat(statuses).containsExactly("todo→planning", "planning→planning_review", "planning_review→in_progress",
          "in_progress→ai_review", "ai_review→done");
      assertThat(order.indexOf("session.started")).isZero();
      assertThat(order.getLast()).isEqualTo("session.completed");
      assertThat(stream.types()).contains("session.activity");
    }
  }

  @Test
  void an_edit_under_approval_always_waits_with_its_content_and_a_rejection_leaves_the_file_alone() throws Exception {
    Path repository = repository("beta");
    long id = createTask(Map.of("title", "Guarded notes", "repository_path", repository.toString(),
        "review", Map.of("plan", "none", "merge", "none"), "approval", Map.of("edit", "always")));
    model.respond(this::worker);
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    long executionId = started.path("execution_id").asLong();
    long sessionId = started.path("session_id").asLong();
    await().atMost(WAIT).until(() -> waitingStep(executionId) == 2);
    assertThat(task(id).path("status").asText()).isEqualTo("in_progress");
    JsonNode pending = client.get("/api/v1/approvals?status=pending", server.adminToken()).data();
    assertThat(pending.toString()).contains("notes.txt", "second");
    JsonNode asked = activity(sessionId, 0).stream()
        .filter(a -> a.path("kind").asText().equals("approval_requested")).findFirst().orElseThrow();
    assertThat(asked.path("data").path("arguments").path("path").asText()).isEqualTo("notes.txt");
    assertThat(asked.path("data").path("arguments").toString()).contains("second");

    var rejected = client.post("/api/v1/executions/" + executionId + "/steps/2/approve", server.adminToken(),
        Map.of("approve", false, "comment", "not that file"));
    assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
    // the agent is told, and goes on to the next file, which waits too: approve that one
    await().atMost(WAIT).until(() -> waitingStep(executionId) == 2
        && client.get("/api/v1/approvals?status=pending", server.adminToken()).data().toString().contains("app.txt"));
    approve(executionId, 2);
    awaitStatus(id, "done");
    Path worktree = dataDir().resolve("worktrees/task-" + id);
    assertThat(worktree.resolve("notes.txt")).as("rejected, so never written").doesNotExist();
    assertThat(Files.readString(worktree.resolve("app.txt"))).isEqualTo("one\nTWO\nthree\n");
    String told = model.requests.stream().map(ScriptedOpenAiServer::lastMessage)
        .filter(m -> m.contains("not that file")).findFirst().orElse("");
    assertThat(told).as("the model was told of the rejection").isNotEmpty();
    assertThat(kinds(activity(sessionId, 0))).contains("approval_resolved");
    assertThat(task(id).path("files_changed").asInt()).isEqualTo(1);
  }

  @Test
  void a_model_that_answers_errors_fails_the_phase_with_the_error_and_the_task_can_run_again() {
    Path repository = repository("gamma");
    long id = createTask(Map.of("title", "Doomed", "repository_path", repository.toString()));
    model.respond(request -> Answer.error(400, "invalid_request_error", "The model `scripted-model` does not exist"));
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    awaitStatus(id, "failed");
    JsonNode failed = task(id);
    assertThat(failed.path("error").asText()).contains("does not exist");
    JsonNode session = client.get("/api/v1/sessions/" + started.path("session_id").asLong(), server.adminToken()).data();
    assertThat(session.path("status").asText()).isEqualTo("failed");
    assertThat(kinds(activity(session.path("session_id").asLong(), 0))).contains("error");

    model.respond(this::worker);
    var again = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null);
    assertThat(again.status()).as(again.text()).isEqualTo(202);
    assertThat(again.data().path("session_id").asLong()).isNotEqualTo(started.path("session_id").asLong());
    awaitStatus(id, "planning_review");
    assertThat(task(id).path("error").isNull()).as("a new run clears the last error").isTrue();
    client.post("/api/v1/tasks/" + id + "/cancel", server.adminToken(), null);
    awaitStatus(id, "cancelled");
  }

  @Test
  void cancel_stops_the_agent_mid_phase_and_keeps_the_worktree() {
    Path repository = repository("delta");
    long id = createTask(Map.of("title", "Stopped", "repository_path", repository.toString(),
        "review", Map.of("plan", "none")));
    model.respond(this::worker);
    int before = model.requests.size();
    CountDownLatch planning = model.hold();
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    long executionId = started.path("execution_id").asLong();
    await().atMost(WAIT).until(() -> model.requests.size() == before + 1);
    // the planner's answer goes through; the worker's first request is held
    CountDownLatch held = model.hold();
    planning.countDown();
    await().atMost(WAIT).until(() -> model.requests.size() == before + 2);
    assertThat(task(id).path("status").asText()).isEqualTo("in_progress");
    var cancelled = client.post("/api/v1/tasks/" + id + "/cancel", server.tokenFor(Role.OPERATOR), null);
    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    awaitStatus(id, "cancelled");
    held.countDown();
    model.hold().countDown();
    JsonNode task = task(id);
    assertThat(task.path("error").asText()).contains("cancelled");
    assertThat(client.get("/api/v1/executions/" + executionId, server.adminToken()).data().path("status").asText())
        .isEqualTo("cancelled");
    assertThat(dataDir().resolve("worktrees/task-" + id)).isDirectory();
    assertThat(client.post("/api/v1/tasks/" + id + "/cancel", server.adminToken(), null).status())
        .as("nothing left to cancel").isEqualTo(409);
  }

  @Test
  void five_tasks_on_five_repositories_run_at_once_and_each_finishes_on_its_own() {
    model.respond(this::worker);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Path repository = repository("five-" + i);
      ids.add(createTask(Map.of("title", "Task number " + i, "repository_path", repository.toString(),
          "review", Map.of("plan", "none", "merge", "none"))));
    }
    for (long id : ids) {
      assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status()).isEqualTo(202);
    }
    // five agents at once, beside the other test classes, on a machine that may have two cores: a generous bound
    for (long id : ids) awaitStatus(id, "done", Duration.ofMinutes(4));
    for (long id : ids) {
      JsonNode task = task(id);
      assertThat(task.path("additions").asInt()).as("task " + id).isEqualTo(3);
      assertThat(Files.exists(dataDir().resolve("worktrees/task-" + id).resolve("notes.txt"))).isTrue();
    }
  }
}
