package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server started the way users start it: through {@code ./stepwise}, as a real
 * process, stopped with SIGTERM.
 */
class LauncherIT {
  private static final Pattern READY = Pattern.compile("Stepwise is ready on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dataDir;

  /** A started process with its combined output collected line by line. */
  private record Run(Process process, List<String> lines, Thread reader) {
    /** Waits for the process to end and its output to be read completely. */
    boolean awaitExit(long seconds) throws InterruptedException {
      boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
      if (exited) reader.join(TimeUnit.SECONDS.toMillis(5));
      return exited;
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  private Run launch(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("./stepwise"));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    return new Run(process, lines, reader);
  }

  private String runToEnd(Map<String, String> env, String... args) throws Exception {
    return runToEnd(60, env, args);
  }

  private String runToEnd(long seconds, Map<String, String> env, String... args) throws Exception {
    Run run = launch(env, args);
    if (!run.awaitExit(seconds)) {
      run.process().descendants().forEach(ProcessHandle::destroyForcibly);
      run.process().destroyForcibly();
      throw new AssertionError("still running after " + seconds + " s:\n" + run.output());
    }
    return run.output() + "\nexit=" + run.process().exitValue();
  }

  private int awaitReady(Run run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = READY.matcher(run.output());
      if (matcher.find()) return Integer.parseInt(matcher.group(1));
      if (!run.process().isAlive()) throw new AssertionError("server exited:\n" + run.output());
      Thread.sleep(50);
    }
    throw new AssertionError("server never became ready:\n" + run.output());
  }

  @Test
  void prints_its_version_and_help() throws Exception {
    assertThat(runToEnd(Map.of(), "--version")).contains("stepwise 0.1.0").contains("exit=0");
    assertThat(runToEnd(Map.of(), "--help")).contains("server").contains("user").contains("token");
    assertThat(runToEnd(Map.of(), "tail", "--help")).contains("ID").contains("The execution to follow");
    assertThat(runToEnd(Map.of(), "approve", "--help")).contains("The execution that waits")
        .contains("The number of the step that waits");
  }

  @Test
  void a_server_that_cannot_listen_on_its_port_stops_before_it_creates_anything() throws Exception {
    Run first = launch(Map.of(), "server", "--port", "0", "--data-dir", dataDir.toString());
    try {
      int port = awaitReady(first);
      Path second = dataDir.resolveSibling(dataDir.getFileName() + "-second");
      String output = runToEnd(Map.of(), "server", "--port", Integer.toString(port), "--data-dir", second.toString());
      assertThat(output).contains("stepwise: cannot listen on 127.0.0.1:" + port + ": the port is already in use")
          .contains("exit=1").doesNotContain("Created the first admin").doesNotContain("password")
          .doesNotContain("Exception");
      assertThat(output.lines().filter(line -> line.startsWith("stepwise:")).count()).isEqualTo(1);
      assertThat(second.resolve("stepwise.db")).as("no database, so no user").doesNotExist();
    } finally {
      first.process().toHandle().destroy();
      first.awaitExit(20);
    }
  }

  @Test
  void bench_prints_only_its_results_and_removes_its_temp_dir() throws Exception {
    String output = runToEnd(Map.of(), "bench", "--samples", "5", "--executions", "20", "--ten-step", "5",
        "--rounds", "1", "--sockets", "5", "--ceiling", "--parked", "100");
    assertThat(output).contains("exit=0").contains("drain, single-step noop, 20 queued")
        .contains("drain, ten-step noop, 5 queued").contains("ceiling (plain SQL")
        .doesNotContain("rid=").doesNotContain(" INFO ");
    // each fan-out measures its second round; every socket of both got all its own events and no other's
    assertThat(output).contains("WebSocket fan-out (after a warm-up round): 5 sockets connected")
        .contains("20 events delivered; over both rounds, sockets missing or reordering one of their own: 0, events "
            + "delivered to a socket that did not follow them: 0")
        .contains("Agent runs over WebSocket (after a warm-up round): 5 sockets connected")
        .contains("30 agent events delivered; over both rounds, sockets missing or reordering one of their own: 0, "
            + "events of another run delivered: 0");
    Matcher parked = Pattern.compile("parked at an approval: 100 executions queued and parked in [0-9.]+ s; threads "
        + "\\(platform and virtual\\) ([0-9,]+) before, ([0-9,]+) after").matcher(output);
    assertThat(parked.find()).as(output).isTrue();
    // a parked execution holds no thread: a hundred of them leave the count where it was, give or take the pools'
    assertThat(Integer.parseInt(parked.group(2).replace(",", "")))
        .isLessThan(Integer.parseInt(parked.group(1).replace(",", "")) + 50);
    Matcher dir = Pattern.compile("SQLite \\(WAL\\) in (\\S+),").matcher(output);
    assertThat(dir.find()).as(output).isTrue();
    assertThat(Path.of(dir.group(1))).doesNotExist();
  }

  @Test
  void bench_drains_the_same_jobs_with_graphile_worker_and_jobrunr_on_the_same_postgresql() throws Exception {
    try (var database = TestDatabase.postgres()) {
      String output = runToEnd(180, Map.of(), "bench", "--db-url", database.url(), "--samples", "5",
          "--executions", "200", "--ten-step", "5", "--rounds", "1", "--sockets", "0", "--peers");
      assertThat(output).contains("exit=0")
          .contains("peers, single-step drain of 200 on the same PostgreSQL (median of 1 round after a warm-up")
          .containsPattern("Stepwise, 16 workers +[1-9][0-9,]*/s")
          .containsPattern("graphile-worker 0\\.17\\.3, defaults \\(1 job at a time\\) +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}× "
              + "+\\(rounds: \\[[0-9,]+]\\)")
          .containsPattern("graphile-worker 0\\.17\\.3, 16 jobs at once +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}×")
          .containsPattern("graphile-worker 0\\.17\\.3, documented batching \\(24 at once\\) +[1-9][0-9,]*/s "
              + "+[0-9]+\\.[0-9]{2}×")
          .containsPattern("JobRunr 8\\.7\\.0, defaults +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}×");
    }
  }

  @Test
  void bench_refuses_the_peers_without_postgresql() throws Exception {
    assertThat(runToEnd(Map.of(), "bench", "--peers", "--sockets", "0"))
        .contains("--peers needs --db-url: graphile-worker and JobRunr run on PostgreSQL").contains("exit=2");
  }

  @Test
  void starts_a_server_that_answers_health_and_stops_gracefully_on_sigterm() throws Exception {
    Run run = launch(Map.of("STEPWISE_ADMIN_PASSWORD", "launcher-admin-pw"),
        "server", "--port", "0", "--data-dir", dataDir.toString());
    try {
      int port = awaitReady(run);
      var client = new ApiClient("http://127.0.0.1:" + port);
      assertThat(client.get("/api/v1/health", null).status()).isEqualTo(200);
      assertThat(client.post("/api/v1/auth/demo-login", null, null).status()).isEqualTo(200);
      assertThat(client.login("admin", "launcher-admin-pw")).isNotBlank();
      assertThat(dataDir.resolve("stepwise.db")).exists();
      assertThat(dataDir.resolve("jwt-signing.key")).exists();
    } finally {
      run.process().toHandle().destroy(); // SIGTERM, keeping our end of the output pipe open
    }
    assertThat(run.awaitExit(20)).as(run.output()).isTrue();
    assertThat(run.output()).contains("shutting down").doesNotContain("launcher-admin-pw");
  }

  @Test
  void a_generated_admin_password_is_printed_once_and_works() throws Exception {
    Run first = launch(Map.of(), "server", "--port", "0", "--data-dir", dataDir.toString());
    int port;
    String password;
    try {
      port = awaitReady(first);
      Matcher matcher = Pattern.compile("with password: (\\S+)").matcher(first.output());
      assertThat(matcher.find()).as(first.output()).isTrue();
      password = matcher.group(1);
      assertThat(new ApiClient("http://127.0.0.1:" + port).login("admin", password)).isNotBlank();
    } finally {
      first.process().toHandle().destroy();
      first.awaitExit(20);
    }
    Run second = launch(Map.of(), "server", "--port", "0", "--data-dir", dataDir.toString());
    try {
      awaitReady(second);
      assertThat(second.output()).doesNotContain("password");
    } finally {
      second.process().toHandle().destroy();
      second.awaitExit(20);
    }
  }

  @Test
  void bad_settings_stop_start_up_with_one_line_each() throws Exception {
    String output = runToEnd(Map.of("STEPWISE_PORT", "eighty", "STEPWISE_DEMO_LOGIN", "perhaps"),
        "server", "--data-dir", dataDir.toString());
    assertThat(output).contains("exit=2")
        .contains("stepwise: bad setting port = 'eighty' (from STEPWISE_PORT)")
        .contains("stepwise: bad setting auth.demo_login = 'perhaps' (from STEPWISE_DEMO_LOGIN)");
  }

  @Test
  void users_and_api_tokens_can_be_made_from_the_command_line() throws Exception {
    String added = runToEnd(Map.of(), "user", "add", "alice", "--role", "operator", "--data-dir", dataDir.toString());
    assertThat(added).contains("Added user 'alice'").contains("role operator").contains("exit=0");
    String created = runToEnd(Map.of(), "token", "create", "--user", "alice", "--name", "ci", "--data-dir", dataDir.toString());
    assertThat(created).contains("exit=0");
    String token = created.lines().filter(l -> l.startsWith("eyJ")).findFirst().orElseThrow();
    assertThat(runToEnd(Map.of(), "user", "list", "--data-dir", dataDir.toString())).contains("alice").contains("operator");
    String listed = runToEnd(Map.of(), "token", "list", "--data-dir", dataDir.toString());
    assertThat(listed).contains("alice").contains("ci").contains("active").doesNotContain(token).contains("exit=0");
    String second = runToEnd(Map.of(), "token", "create", "--user", "alice", "--name", "old", "--data-dir", dataDir.toString());
    long oldId = Long.parseLong(second.lines().filter(l -> l.startsWith("Token ")).findFirst().orElseThrow().split(" ")[1]);
    assertThat(runToEnd(Map.of(), "token", "revoke", Long.toString(oldId), "--data-dir", dataDir.toString()))
        .contains("Revoked token " + oldId).contains("exit=0");
    assertThat(runToEnd(Map.of(), "token", "list", "--user", "alice", "--data-dir", dataDir.toString())).contains("revoked");
    assertThat(runToEnd(Map.of(), "token", "revoke", "999", "--data-dir", dataDir.toString()))
        .contains("no API token with id 999").contains("exit=1");
    assertThat(runToEnd(Map.of(), "user", "add", "bob", "--data-dir", dataDir.toString())).contains("exit=0");
    assertThat(runToEnd(Map.of(), "user", "delete", "bob", "--data-dir", dataDir.toString())).contains("Deleted user 'bob'");
    assertThat(runToEnd(Map.of(), "user", "list", "--data-dir", dataDir.toString())).doesNotContain("bob");

    Run run = launch(Map.of(), "server", "--port", "0", "--data-dir", dataDir.toString());
    try {
      int port = awaitReady(run);
      var me = new ApiClient("http://127.0.0.1:" + port).get("/api/v1/auth/me", token);
      assertThat(me.data().path("username").asText()).isEqualTo("alice");
    } finally {
      run.process().toHandle().destroy();
      run.awaitExit(20);
    }
    // the server made the built-in demo user, which stays
    assertThat(runToEnd(Map.of(), "user", "delete", "demo", "--data-dir", dataDir.toString())).contains("exit=1")
        .contains("cannot be deleted");
  }
}
