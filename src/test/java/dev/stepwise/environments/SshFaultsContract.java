package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.testing.HostProcesses;
import dev.stepwise.testing.MinaSshServer;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Faults a real sshd makes hard to arrange, against MINA's in-process server: a connection that
 * stops answering mid-step (its socket still open) fails the step as {@code connection lost}
 * within the environment's keepalive window, and what the step left running on the host is
 * stopped once the host can be reached.
 */
public abstract class SshFaultsContract extends ServerContract {
  private static final Duration KEEPALIVE = Duration.ofSeconds(3);

  private MinaSshServer ssh;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    ssh = MinaSshServer.start();
    var frozen = new EnvironmentSpec("frozen", "127.0.0.1", ssh.port(), System.getProperty("user.name"),
        new EnvironmentSpec.KeyFile(ssh.clientKey(), null), ssh.hostKey(), null, null, List.of(), 4,
        Duration.ofSeconds(5), KEEPALIVE);
    var password = new EnvironmentSpec("password", "127.0.0.1", ssh.port(), System.getProperty("user.name"),
        new EnvironmentSpec.PasswordEnv("MINA_PASSWORD"), ssh.hostKey(), null, null, List.of(), 4,
        Duration.ofSeconds(5), KEEPALIVE);
    var wrongPassword = new EnvironmentSpec("wrong-password", "127.0.0.1", ssh.port(), System.getProperty("user.name"),
        new EnvironmentSpec.PasswordEnv("WRONG_PASSWORD"), ssh.hostKey(), null, null, List.of(), 4,
        Duration.ofSeconds(5), KEEPALIVE);
    return builder.environments(new Config.Environments(List.of(frozen, password, wrongPassword),
        Map.of("MINA_PASSWORD", MinaSshServer.PASSWORD, "WRONG_PASSWORD", "not it")));
  }

  @AfterAll
  void stopSsh() {
    if (ssh != null) ssh.close();
  }

  @Test
  void a_password_from_the_servers_environment_logs_in_and_a_wrong_one_is_a_clear_error() {
    long id = submit(server.adminToken(), """
        name: by password
        environment: {name: password}
        steps: [{name: echo, run: "echo logged in by password"}]
        """);
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", server.adminToken()).text())
        .contains("logged in by password");

    long refused = submit(server.adminToken(), """
        name: wrong password
        environment: {name: wrong-password}
        steps: [{name: echo, run: "echo never"}]
        """);
    String error = awaitFinished(refused, server.adminToken()).path("steps").path(0).path("error").asText();
    assertThat(error).contains("environment 'wrong-password'", "refused the password for user")
        .doesNotContain("not it", "Exception");
  }

  @Test
  void a_connection_that_stops_answering_fails_its_step_within_the_keepalive_window_and_its_processes_are_stopped() {
    String marker = "marker-" + UUID.randomUUID();
    long id = submit(server.adminToken(), """
        name: frozen
        environment: {name: frozen}
        steps:
          - name: wait
            run: "sleep 600; echo %s"
        """.formatted(marker));
    await().atMost(Duration.ofSeconds(30)).until(() -> !HostProcesses.running(marker).isEmpty());
    Instant frozenAt = Instant.now();
    ssh.freeze();
    JsonNode done = awaitFinished(id, server.adminToken());
    Duration took = Duration.between(frozenAt, Instant.now());
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("steps").path(0).path("error").asText())
        .contains("connection lost to environment 'frozen'", "no answer to keepalives within 3s");
    // the window is the keepalive; the generous bound only keeps a busy machine from failing the test
    assertThat(took).as("time from the freeze to the failure").isLessThan(KEEPALIVE.multipliedBy(5));
    // the host answers new connections: the step's processes, left behind, are stopped by their mark
    await().atMost(Duration.ofSeconds(30)).until(() -> HostProcesses.running(marker).isEmpty());
    JsonNode frozen = client.get("/api/v1/environments", server.adminToken()).data().path("items").path(1);
    assertThat(frozen.path("name").asText()).isEqualTo("frozen");
  }

}
