package dev.stepwise.cli;

import static dev.stepwise.cli.Launcher.awaitReady;
import static dev.stepwise.cli.Launcher.launch;
import static dev.stepwise.cli.Launcher.runToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.cli.Launcher.Run;
import dev.stepwise.testing.ApiClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server started the way users start it: through {@code ./stepwise}, as a real
 * process, stopped with SIGTERM.
 */
class LauncherIT {
  @TempDir Path dataDir;

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
