package dev.stepwise.cli;

import static dev.stepwise.cli.Launcher.runToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.app.Config;
import dev.stepwise.tasks.run.NativeTaskRunsContract;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stepwise task create|execute|show|follow} through the launcher, as users type them, against
 * a real server whose native agent talks to a scripted model.
 */
class TaskCommandIT {
  @TempDir Path repositories;

  @Test
  void a_task_is_created_executed_followed_to_done_and_shown_from_the_command_line() throws Exception {
    Path repository = GitRepo.appRepository(repositories, "cli");
    try (var model = new ScriptedOpenAiServer().respond(NativeTaskRunsContract::nativeWorker);
        var server = TestServer.builder(TestDatabase.sqlite())
            .tasks(new Config.Tasks(List.of(repositories.toRealPath()), "native", "opencode"))
            .model(new Config.Model("openai", model.baseUrl(), "scripted-model", null, Duration.ofSeconds(30))).start()) {
      Map<String, String> env = Map.of("STEPWISE_URL", "http://127.0.0.1:" + server.port(),
          "STEPWISE_TOKEN", server.adminToken(), "XDG_CONFIG_HOME", repositories.resolve("config").toString());

      String created = runToEnd(120, env, "task", "create", "--repo", repository.toString(), "--title",
          "Notes from the CLI", "-d", "Add notes.txt", "--plan-review", "none", "--merge-review", "none");
      assertThat(created).contains("Task 1 created (todo) on " + repository + " @ ", "with the native agent", "exit=0");

      String followed = runToEnd(120, env, "task", "execute", "1", "--follow");
      assertThat(followed).contains("session 1 started: execution 1 with the native agent", "status todo → planning",
          "→ write_file: notes.txt", "status in_progress → ai_review", "VERDICT: PASS", "status ai_review → done",
          "exit=0");
      assertThat(followed.indexOf("status planning → in_progress")).isLessThan(followed.indexOf("→ write_file"));

      String shown = runToEnd(120, env, "task", "show", "1");
      assertThat(shown).contains("status      done", "changes     2 files, +3 -1", "1. Add notes.txt", "exit=0");
      assertThat(runToEnd(120, env, "task", "follow", "1")).as("the ended run again, from its start").contains(
          "status ai_review → done", "exit=0");

      assertThat(runToEnd(120, env, "task", "execute", "99")).contains("there is no task with id 99", "exit=1");
      assertThat(runToEnd(120, env, "task", "create", "--repo", "/etc", "--title", "x"))
          .contains("repository_path", "exit=1");
    }
  }
}
