package dev.stepwise.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Creating, listing, changing and deleting coding tasks (API.md §6) on real git repositories: a
 * task can only name a work tree under {@code tasks.repositories}, and a ref that exists there.
 */
public abstract class TasksApiContract extends ServerContract {
  private Path root;
  private Path outside;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    try {
      root = Files.createTempDirectory("stepwise-repos-").toRealPath();
      outside = Files.createTempDirectory("stepwise-elsewhere-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return builder.tasks(new Config.Tasks(List.of(root), "native", "opencode"));
  }

  @Test
  void a_task_on_a_repository_under_the_roots_starts_in_todo_with_its_branch_and_the_checked_out_base() {
    Path repository = repository(root, "alpha");
    String branch = GitRepo.at(repository).git("symbolic-ref", "--short", "HEAD").strip();
    var response = create(Map.of("title", "  Add a health check  ", "description", "GET /health answers 200",
        "repository_path", repository.toString()));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode task = response.data();
    long id = task.path("id").asLong();
    assertThat(task.path("title").asText()).isEqualTo("Add a health check");
    assertThat(task.path("status").asText()).isEqualTo("todo");
    assertThat(task.path("branch").asText()).isEqualTo("stepwise/task-" + id);
    assertThat(task.path("base_ref").asText()).isEqualTo(branch);
    assertThat(task.path("repository_path").asText()).isEqualTo(repository.toString());
    assertThat(task.path("agent").asText()).isEqualTo("native");
    assertThat(task.path("review").path("plan").asText()).isEqualTo("human");
    assertThat(task.path("review").path("merge").asText()).isEqualTo("human");
    assertThat(task.path("created_by").asText()).isEqualTo("admin");
    assertThat(task.path("additions").asInt()).isZero();
    assertThat(task.path("session_id").isNull()).isTrue();
    assertThat(client.get("/api/v1/tasks/" + id, server.tokenFor(dev.stepwise.auth.Role.VIEWER)).data())
        .isEqualTo(task);
    try (var stream = SseRecorder.open(client.baseUrl(), "/api/v1/events/stream?topics=task:" + id + "&since=0",
        server.adminToken(), Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.has("task.status_changed"));
      JsonNode data = stream.events().getFirst().data();
      assertThat(data.path("task_id").asLong()).isEqualTo(id);
      assertThat(data.path("from").isNull()).isTrue();
      assertThat(data.path("to").asText()).isEqualTo("todo");
    }
  }

  @Test
  void a_repository_that_is_not_a_work_tree_under_the_roots_is_refused_and_nothing_is_stored() throws IOException {
    Path plain = Files.createDirectories(root.resolve("plain-dir"));
    Path inside = Files.createDirectories(repository(root, "beta").resolve("src"));
    Path elsewhere = repository(outside, "gamma");
    Path link = Files.createSymbolicLink(root.resolve("link-out"), elsewhere);
    long before = count();
    for (String path : List.of(elsewhere.toString(), plain.toString(), inside.toString(), link.toString(),
        root.resolve("missing").toString(), "relative/path", root + "/../" + outside.getFileName() + "/gamma")) {
      var response = create(Map.of("title", "t", "repository_path", path));
      assertThat(response.status()).as(path + ": " + response.text()).isEqualTo(422);
      assertThat(response.body().path("error").path("details").path("fields").has("repository_path")).as(path).isTrue();
    }
    var missing = create(Map.of("title", "t"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void a_base_ref_must_name_a_commit_and_can_never_be_an_option() {
    Path repository = repository(root, "delta");
    GitRepo.at(repository).git("tag", "v1");
    for (String ref : List.of("no-such-branch", "--output=/tmp/x", "-c", "HEAD;rm", "a b")) {
      var response = create(Map.of("title", "t", "repository_path", repository.toString(), "base_ref", ref));
      assertThat(response.status()).as(ref).isEqualTo(422);
      assertThat(response.body().path("error").path("details").path("fields").has("base_ref")).as(ref).isTrue();
    }
    var tagged = create(Map.of("title", "t", "repository_path", repository.toString(), "base_ref", "v1"));
    assertThat(tagged.status()).isEqualTo(201);
    assertThat(tagged.data().path("base_ref").asText()).isEqualTo("v1");
  }

  @Test
  void tasks_are_listed_newest_first_by_status_changed_while_idle_and_deleted() {
    Path repository = repository(root, "epsilon");
    long first = create(Map.of("title", "first", "repository_path", repository.toString())).data().path("id").asLong();
    long second = create(Map.of("title", "second", "repository_path", repository.toString(),
        "review", Map.of("plan", "none"), "agent", "opencode")).data().path("id").asLong();
    JsonNode todo = client.get("/api/v1/tasks?status=todo&limit=2", server.adminToken()).data();
    assertThat(todo.path("items").findValuesAsText("id")).containsExactly(Long.toString(second), Long.toString(first));
    assertThat(client.get("/api/v1/tasks?status=done", server.adminToken()).data().path("items")).isEmpty();
    assertThat(client.get("/api/v1/tasks?status=sleeping", server.adminToken()).status()).isEqualTo(422);

    var changed = client.patch("/api/v1/tasks/" + first, server.adminToken(),
        Map.of("title", "renamed", "agent", "opencode", "review", Map.of("merge", "none")));
    assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    assertThat(changed.data().path("title").asText()).isEqualTo("renamed");
    assertThat(changed.data().path("agent").asText()).isEqualTo("opencode");
    assertThat(changed.data().path("review").path("plan").asText()).isEqualTo("human");
    assertThat(changed.data().path("review").path("merge").asText()).isEqualTo("none");
    for (Map<String, Object> bad : List.of(Map.<String, Object>of("agent", "gpt"), Map.<String, Object>of("title", ""),
        Map.<String, Object>of("review", Map.of("plan", "maybe")), Map.<String, Object>of("status", "done"),
        Map.<String, Object>of("repository_path", outside.toString()))) {
      assertThat(client.patch("/api/v1/tasks/" + first, server.adminToken(), bad).status()).as(bad.toString())
          .isEqualTo(422);
    }
    assertThat(client.get("/api/v1/tasks/" + first, server.adminToken()).data().path("title").asText())
        .isEqualTo("renamed");

    var diff = client.get("/api/v1/tasks/" + first + "/diff", server.tokenFor(dev.stepwise.auth.Role.VIEWER));
    assertThat(diff.status()).isEqualTo(200);
    assertThat(diff.header("Content-Type")).startsWith("text/plain");
    assertThat(diff.text()).as("no run yet, so no work").isEmpty();

    assertThat(client.delete("/api/v1/tasks/" + second, server.adminToken()).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/tasks/" + second, server.adminToken()).status()).isEqualTo(404);
    assertThat(client.delete("/api/v1/tasks/" + second, server.adminToken()).status()).isEqualTo(404);
    assertThat(client.patch("/api/v1/tasks/" + second, server.adminToken(), Map.of("title", "x")).status())
        .isEqualTo(404);
  }

  private ApiClient.Response create(Map<String, Object> body) {
    return client.post("/api/v1/tasks", server.adminToken(), new HashMap<>(body));
  }

  private long count() {
    return client.get("/api/v1/tasks?limit=500", server.adminToken()).data().path("items").size();
  }

  /** A real repository with one commit, in {@code parent}. */
  private static Path repository(Path parent, String name) {
    try {
      Path dir = Files.createDirectories(parent.resolve(name));
      Files.writeString(dir.resolve("README.md"), "# " + name + "\n");
      GitRepo.commitAll(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
