package dev.stepwise.tasks.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.ServerProcess;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the server while OpenCode works on a task's {@code in_progress} phase: the
 * OpenCode child goes down with it, and after a restart the phase goes on in the same OpenCode
 * session and the task ends {@code done}: never stuck.
 */
abstract class TaskRecoveryContract {
  @TempDir Path dataDir;
  @TempDir Path repositories;

  abstract TestDatabase newDatabase();

  @Test
  void a_task_whose_server_was_killed_mid_phase_ends_after_the_restart_and_opencode_did_not_outlive_it()
      throws Exception {
    Path repository = GitRepo.appRepository(repositories, "app");
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean working = new AtomicBoolean();
    try (TestDatabase database = newDatabase(); var model = new ScriptedOpenAiServer()) {
      model.respond(request -> {
        if (ScriptedOpenAiServer.lastPrompt(request).contains("Carry out the task") && working.compareAndSet(false, true)) {
          // the first request of the work phase is held: the server is killed while OpenCode waits on it
          hold(release);
        }
        return OpenCodeTaskRunsContract.openCodeWorker(request);
      });
      Map<String, String> env = new HashMap<>(Map.of("STEPWISE_DB_URL", database.url(),
          "STEPWISE_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(TestServer.SIGNING_KEY),
          "STEPWISE_TASKS_REPOSITORIES", repositories.toRealPath().toString(), "STEPWISE_MODEL_PROVIDER", "openai",
          "STEPWISE_MODEL_BASE_URL", model.baseUrl(), "STEPWISE_MODEL_NAME", "scripted-model",
          "STEPWISE_OPENCODE_COMMAND", TaskServerContract.openCodeCommand()));
      long id;
      var first = ServerProcess.start(dataDir, env);
      try {
        ApiClient client = first.client();
        String token = client.login("admin", TestServer.ADMIN_PASSWORD);
        var created = client.post("/api/v1/tasks", token, Map.of("title", "Survive", "repository_path",
            repository.toRealPath().toString(), "agent", "opencode", "review", Map.of("plan", "none", "merge", "none")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        id = created.data().path("id").asLong();
        assertThat(client.post("/api/v1/tasks/" + id + "/execute", token, null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> working.get()
            && client.get("/api/v1/tasks/" + id, token).data().path("status").asText().equals("in_progress"));
        assertThat(openCodeProcesses()).as("OpenCode runs for this server").isPositive();
      } finally {
        first.kill();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> openCodeProcesses() == 0);
      release.countDown();

      try (var second = ServerProcess.start(dataDir, env)) {
        ApiClient client = second.client();
        String token = client.login("admin", TestServer.ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(120)).until(() -> !client.get("/api/v1/tasks/" + id, token).data()
            .path("status").asText().matches("planning|in_progress|ai_review"));
        JsonNode task = client.get("/api/v1/tasks/" + id, token).data();
        // the phase went on in the same OpenCode session, told to continue where it stopped
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("done");
        assertThat(task.path("additions").asInt()).isEqualTo(3);
        long sessionId = task.path("session_id").asLong();
        assertThat(client.get("/api/v1/sessions/" + sessionId + "/activity", token).data().toString())
            .contains("in_progress started again", "the phase was cut short");
      }
      assertThat(openCodeProcesses()).as("a clean stop takes OpenCode down too").isZero();
    }
  }

  /** OpenCode processes working for this test's server: their working directory is its OpenCode home. */
  private long openCodeProcesses() {
    Path home = dataDir.resolve("opencode").toAbsolutePath();
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(home);
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }).count();
  }

  private static void hold(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
