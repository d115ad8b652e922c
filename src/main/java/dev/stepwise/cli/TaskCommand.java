package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepwise task create|execute|show|follow}: coding tasks on a running server (API.md §6). */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Create, execute and follow coding tasks.",
    subcommands = {TaskCommand.Create.class, TaskCommand.Execute.class, TaskCommand.Show.class,
        TaskCommand.Follow.class})
public final class TaskCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a task on a repository.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Option(names = "--repo", required = true, paramLabel = "PATH",
        description = "The repository (a git work tree under the server's tasks.repositories).") Path repository;

    @Option(names = "--title", required = true, description = "What the task is, in a line.") String title;

    @Option(names = {"-d", "--description"}, description = "What to do, in detail (or --description-file).")
    String description;

    @Option(names = "--description-file", paramLabel = "FILE", description = "Read the description from a file.")
    Path descriptionFile;

    @Option(names = "--base", paramLabel = "REF", description = "The base ref (default: what the repository has checked out).")
    String base;

    @Option(names = "--agent", description = "opencode or native (default: the server's tasks.agent).") String agent;

    @Option(names = "--plan-review", description = "human (default) or none.") String planReview;

    @Option(names = "--merge-review", description = "human (default) or none.") String mergeReview;

    @Option(names = "--edit-approval", description = "Do the agent's edits wait for a person? never (default) or always.")
    String editApproval;

    @Option(names = "--shell-approval", description = "Do its commands? risky (default: off the safe list), always or never.")
    String shellApproval;

    @Override
    public Integer call() {
      return Console.run(() -> {
        Remote remote = client.credentials().remote();
        var body = new LinkedHashMap<String, Object>();
        body.put("title", title);
        body.put("description", descriptionFile != null ? read(descriptionFile) : description);
        body.put("repository_path", repository.toAbsolutePath().normalize().toString());
        body.put("base_ref", base);
        body.put("agent", agent);
        body.put("review", withoutNulls(Map.of("plan", nullable(planReview), "merge", nullable(mergeReview))));
        body.put("approval", withoutNulls(Map.of("edit", nullable(editApproval), "shell", nullable(shellApproval))));
        JsonNode task = remote.call("POST", "/api/v1/tasks", remote.json(withoutNulls(body)), "application/json");
        System.out.println("Task " + task.path("id").asLong() + " created (" + task.path("status").asText() + ") on "
            + task.path("repository_path").asText() + " @ " + task.path("base_ref").asText() + " with the "
            + task.path("agent").asText() + " agent; run it with `stepwise task execute " + task.path("id").asLong()
            + " --follow`");
        return 0;
      });
    }
  }

  @Command(name = "execute", mixinStandardHelpOptions = true, description = "Start a run of a task (answers at once).")
  static final class Execute implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The task.") long id;

    @Option(names = {"-f", "--follow"}, description = "Follow the run until it ends; exit 0 when the task is done.")
    boolean follow;

    @Override
    public Integer call() {
      return Console.run(() -> {
        Remote remote = client.credentials().remote();
        JsonNode started = remote.call("POST", "/api/v1/tasks/" + id + "/execute", null, null);
        System.out.println(started.path("message").asText());
        return follow ? follow(remote, id) : 0;
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a task, its plan and its latest activity.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The task.") long id;

    @Option(names = "--activity", description = "How many of the latest activity entries to show (default 20).")
    int activity = 20;

    @Override
    public Integer call() {
      return Console.run(() -> {
        Remote remote = client.credentials().remote();
        JsonNode task = remote.call("GET", "/api/v1/tasks/" + id, null, null);
        System.out.println("Task " + id + ": " + task.path("title").asText());
        System.out.println("  status      " + task.path("status").asText()
            + (task.path("error").isNull() ? "" : " (" + task.path("error").asText() + ")"));
        System.out.println("  repository  " + task.path("repository_path").asText() + " @ " + task.path("base_ref").asText()
            + ", work on " + task.path("branch").asText());
        System.out.println("  agent       " + task.path("agent").asText() + "; reviews: plan "
            + task.path("review").path("plan").asText() + ", merge " + task.path("review").path("merge").asText());
        int files = task.path("files_changed").asInt();
        System.out.println("  changes     " + files + (files == 1 ? " file, +" : " files, +") + task.path("additions").asInt()
            + " -" + task.path("deletions").asInt() + " (the patch: GET /api/v1/tasks/" + id + "/diff)");
        if (!task.path("plan").isNull()) {
          System.out.println("  plan");
          task.path("plan").asText().lines().forEach(line -> System.out.println("    " + line));
        }
        if (task.path("session_id").isNull()) return 0;
        long sessionId = task.path("session_id").asLong();
        JsonNode session = remote.call("GET", "/api/v1/sessions/" + sessionId, null, null);
        System.out.println("  session     " + sessionId + " (" + session.path("status").asText() + "), execution "
            + session.path("execution_id").asLong());
        JsonNode entries = remote.call("GET", "/api/v1/sessions/" + sessionId + "/activity?limit=2000", null, null)
            .path("activity");
        var printer = new TaskPrinter(System.out, sessionId, session.path("execution_id").asLong());
        for (int i = Math.max(0, entries.size() - activity); i < entries.size(); i++) {
          JsonNode entry = entries.get(i);
          var event = remote.jsonTree(Map.of("type", "session.activity", "timestamp", entry.path("at").asText(),
              "data", Map.of("session_id", sessionId, "kind", entry.path("kind").asText(),
                  "text", entry.path("text").asText(""), "tool", entry.path("tool").asText(""),
                  "data", entry.path("data"))));
          printer.print(event);
        }
        return 0;
      });
    }
  }

  @Command(name = "follow", mixinStandardHelpOptions = true,
      description = "Follow a task's current run live until it ends; exit 0 when the task is done.")
  static final class Follow implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The task.") long id;

    @Override
    public Integer call() {
      return Console.run(() -> follow(client.credentials().remote(), id));
    }
  }

  /** Prints the task's current run from its start, then live, until it ends. */
  static int follow(Remote remote, long id) {
    JsonNode task = remote.call("GET", "/api/v1/tasks/" + id, null, null);
    if (task.path("session_id").isNull()) {
      System.out.println("Task " + id + " has not run yet: `stepwise task execute " + id + " --follow`");
      return 1;
    }
    long sessionId = task.path("session_id").asLong();
    JsonNode session = remote.call("GET", "/api/v1/sessions/" + sessionId, null, null);
    var printer = new TaskPrinter(System.out, sessionId, session.path("execution_id").asLong());
    remote.follow("/api/v1/events/stream?topics=task:" + id, printer::print);
    return printer.exitCode();
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  private static Object nullable(String value) {
    return value == null ? "" : value;
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> map) {
    var kept = new LinkedHashMap<String, Object>();
    map.forEach((key, value) -> {
      if (value != null && !"".equals(value) && !(value instanceof Map<?, ?> m && m.isEmpty())) kept.put(key, value);
    });
    return kept;
  }
}
