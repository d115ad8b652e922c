package dev.stepwise.tasks.run;

import static dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.plans.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * An agent that never ends its phase, or a model that never stops failing, ends the phase
 * {@code failed} with why, for each backend; the task can run again at once, nothing left stuck.
 */
public abstract class PhaseLimitsContract extends TaskServerContract {
  /** How many times the backend lets the model fail before the phase fails (0: at the first failure). */
  protected abstract int retriesBeforeFailing();

  /**
   * The phase limit the tests run under: short, but long enough for the backend to reach the model
   * on a busy machine, so that only the test that holds the model runs into it.
   */
  @Override
  protected abstract Duration phaseTimeout();

  @Override
  protected Answer worker(JsonNode request) {
    return agent().equals("opencode") ? OpenCodeTaskRunsContract.openCodeWorker(request)
        : NativeTaskRunsContract.nativeWorker(request);
  }

  @Test
  void a_phase_past_its_timeout_fails_the_task_saying_so_and_the_next_run_goes_through() {
    long id = createTask(Map.of("title", "Too slow", "repository_path", repository("slow").toString(),
        "review", Map.of("plan", "none", "merge", "none")));
    model.respond(this::worker);
    int before = model.requests.size();
    CountDownLatch held = model.hold();
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    try {
      await().atMost(WAIT).until(() -> model.requests.size() > before);
      awaitStatus(id, "failed");
    } finally {
      held.countDown();
      model.hold().countDown();
    }
    String limit = Durations.format(phaseTimeout());
    assertThat(task(id).path("error").asText()).contains("planning", "timed out after " + limit);
    long sessionId = started.path("session_id").asLong();
    assertThat(client.get("/api/v1/sessions/" + sessionId, server.adminToken()).data().path("status").asText())
        .isEqualTo("failed");
    assertThat(activity(sessionId, 0)).anySatisfy(entry -> assertThat(entry.path("text").asText())
        .contains("ran longer than its limit of " + limit));

    assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status()).isEqualTo(202);
    awaitStatus(id, "done");
  }

  @Test
  void a_model_that_keeps_failing_fails_the_phase_after_its_retries_with_the_error() {
    long id = createTask(Map.of("title", "Overloaded", "repository_path", repository("overloaded").toString(),
        "review", Map.of("plan", "none", "merge", "none")));
    model.respond(request -> Answer.unavailable("The server is overloaded, try again later", 50));
    JsonNode started = client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).data();
    awaitStatus(id, "failed");
    assertThat(task(id).path("error").asText()).contains("planning", "overloaded");
    List<JsonNode> errors = activity(started.path("session_id").asLong(), 0).stream()
        .filter(entry -> entry.path("kind").asText().equals("error")).toList();
    assertThat(errors).isNotEmpty().allSatisfy(entry -> assertThat(entry.path("text").asText()).contains("overloaded"));
    assertThat(errors.stream().filter(entry -> entry.path("data").has("retry")).count())
        .as("the retries the activity shows").isEqualTo(retriesBeforeFailing());

    model.respond(this::worker);
    assertThat(client.post("/api/v1/tasks/" + id + "/execute", server.adminToken(), null).status()).isEqualTo(202);
    awaitStatus(id, "done");
  }
}
