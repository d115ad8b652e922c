package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.OpenSshServer;
import dev.stepwise.testing.HostProcesses;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.SseRecorder;
import dev.stepwise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Steps on a remote environment over SSH, against a real OpenSSH {@code sshd} on loopback that the
 * test starts with its own configuration and keys (API.md §10): the host's files show what ran
 * there, its process table what was left running.
 */
public abstract class SshEnvironmentsContract extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private OpenSshServer ssh;
  private Path keys;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    ssh = OpenSshServer.start();
    try {
      keys = Files.createTempDirectory("stepwise-keys-");
      // a key the server does not accept, and a key line that is not the host's
      new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("stranger").toString())
          .start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String otherKey = read(keys.resolve("stranger.pub"));
    var auth = new EnvironmentSpec.KeyFile(ssh.clientKey(), null);
    var vm = spec("vm", auth, ssh.hostKey(), List.of("linux", "vm"));
    var changed = spec("changed", auth, otherKey, List.of());
    var refused = spec("refused", new EnvironmentSpec.KeyFile(keys.resolve("stranger"), null), ssh.hostKey(), List.of());
    var narrow = new EnvironmentSpec("narrow", "127.0.0.1", ssh.port(), OpenSshServer.user(), auth, ssh.hostKey(), null,
        null, List.of(), 1, Duration.ofSeconds(10), Duration.ofSeconds(6));
    // reached through vm, pinned by a known_hosts file in its [host]:port form
    Path knownHosts = keys.resolve("known_hosts");
    write(knownHosts, "[127.0.0.1]:" + ssh.port() + " " + ssh.hostKey() + "\n");
    var behind = new EnvironmentSpec("behind", "127.0.0.1", ssh.port(), OpenSshServer.user(), auth, null, knownHosts,
        "vm", List.of(), 2, Duration.ofSeconds(10), Duration.ofSeconds(6));
    return builder.environments(new Config.Environments(List.of(vm, changed, refused, narrow, behind), Map.of()))
        .agentFile("careful.yaml", """
            name: careful
            model:
              provider: scripted
              script:
                - thinking: I write the proof on the machine.
                  tool: {name: shell, arguments: {command: "echo written by the agent >> $HOME/agent-proof.txt; hostname"}}
                - reply: The proof is written.
            tools: [shell]
            approval: {shell: always}
            """);
  }

  private EnvironmentSpec spec(String name, EnvironmentSpec.Authentication auth, String hostKey, List<String> labels) {
    return new EnvironmentSpec(name, "127.0.0.1", ssh.port(), OpenSshServer.user(), auth, hostKey, null, null, labels, 4,
        Duration.ofSeconds(10), Duration.ofSeconds(6));
  }

  @AfterAll
  void stopSsh() {
    if (ssh != null) ssh.close();
  }

  @Test
  void the_seed_flow_runs_three_commands_on_the_host_once_each_after_the_approval() {
    Path ran = ssh.home().resolve("ran-" + UUID.randomUUID() + ".txt");
    String append = "echo %s >> " + ran + "; echo output of %s on $(hostname)";
    var response = client.post("/api/v1/agent/execute", server.adminToken(), Map.of("name", "on the vm",
        "environment", Map.of("name", "vm"), "steps", List.of(
            Map.of("name", "precheck", "run", append.formatted("one", "one"), "requires_approval", true),
            Map.of("name", "deploy", "run", append.formatted("two", "two")),
            Map.of("name", "verify", "run", append.formatted("three", "three")))));
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    long id = response.data().path("session_id").asLong();
    assertThat(response.data().path("status").asText()).isEqualTo("waiting_approval");
    assertThat(ran).as("nothing ran before the approval").doesNotExist();

    var approved = client.post("/api/v1/agent/" + id + "/approve-step?step_number=1", server.adminToken(),
        Map.of("approve", true));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(lines(ran)).containsExactly("one", "two", "three");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", server.adminToken()).text())
        .contains("output of one on ");
  }

  @Test
  void cancel_during_a_long_command_leaves_no_process_of_the_step_on_the_host() {
    String marker = "marker-" + UUID.randomUUID();
    long id = sleeperOnVm("cancel on the vm", marker);
    assertThat(client.post("/api/v1/executions/" + id + "/cancel", server.adminToken(), null).status()).isIn(200, 202);
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).isEqualTo("cancelled");
    assertThat(HostProcesses.running(marker)).as("processes of the step left on the host").isEmpty();
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", server.adminToken()).text())
        .contains("[stepwise] cancelled: stopped", "on vm");
  }

  @Test
  void a_server_stopped_while_a_step_runs_on_the_host_stops_it_there_and_settles_it_after_the_restart() {
    String marker = "marker-" + UUID.randomUUID();
    long id = sleeperOnVm("restart on the vm", marker);
    server = server.restart();
    client = server.client();
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("error").asText()).startsWith("interrupted: ").contains("restarted")
        .doesNotContain("connection lost");
    assertThat(HostProcesses.running(marker)).as("processes of the step left on the host").isEmpty();
    assertThat(done.path("environment").asText()).isEqualTo("vm");
  }

  @Test
  void a_timeout_stops_the_command_on_the_host_and_says_so() {
    String marker = "marker-" + UUID.randomUUID();
    long id = submit(server.adminToken(), """
        name: timeout on the vm
        steps:
          - name: wait
            environment: {labels: [vm]}
            timeout: 2s
            run: "sleep 600; echo %s"
        """.formatted(marker));
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("steps").path(0).path("status").asText()).isEqualTo("timed_out");
    assertThat(HostProcesses.running(marker)).as("processes of the step left on the host").isEmpty();
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", server.adminToken()).text())
        .contains("[stepwise] timed out after 2s: stopped");
  }

  @Test
  void a_connection_cut_mid_step_fails_it_as_connection_lost_and_leaves_nothing_running() {
    String marker = "marker-" + UUID.randomUUID();
    long id = sleeperOnVm("cut on the vm", marker);
    ssh.connectionProcesses().forEach(ProcessHandle::destroyForcibly);
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("steps").path(0).path("error").asText()).contains("connection lost", "environment 'vm'");
    await().atMost(WAIT).until(() -> HostProcesses.running(marker).isEmpty());
  }

  @Test
  void a_host_showing_another_key_is_refused_with_its_fingerprint_and_nothing_runs() {
    Path ran = ssh.home().resolve("ran-" + UUID.randomUUID() + ".txt");
    long id = submit(server.adminToken(), """
        name: changed key
        environment: {name: changed}
        steps:
          - name: touch
            run: "touch %s"
        """.formatted(ran));
    JsonNode done = awaitFinished(id, server.adminToken());
    String fingerprint = HostKeys.fingerprint(HostKeys.parse(ssh.hostKey()));
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("steps").path(0).path("error").asText())
        .contains("environment 'changed'", "refused", fingerprint, "stepwise env trust changed");
    assertThat(ran).doesNotExist();
  }

  @Test
  void a_key_the_host_refuses_is_a_clear_error_naming_the_environment() {
    long id = submit(server.adminToken(), """
        name: refused key
        environment: {name: refused}
        steps:
          - name: anything
            run: "true"
        """);
    JsonNode done = awaitFinished(id, server.adminToken());
    String error = done.path("steps").path(0).path("error").asText();
    assertThat(error).contains("environment 'refused'", "refused the key for user " + OpenSshServer.user())
        .doesNotContain("Exception", "org.apache");
  }

  @Test
  void environments_are_listed_and_checked_and_unknown_ones_are_refused_at_submit() {
    var checked = client.post("/api/v1/environments/vm/check", server.adminToken(), null);
    assertThat(checked.status()).as(checked.text()).isEqualTo(200);
    assertThat(checked.data().path("ok").asBoolean()).isTrue();
    assertThat(checked.data().path("rtt_ms").isNumber()).isTrue();
    JsonNode refused = client.post("/api/v1/environments/changed/check", server.adminToken(), null).data();
    assertThat(refused.path("ok").asBoolean()).isFalse();
    assertThat(refused.path("error").asText()).contains("SHA256:");
    assertThat(client.post("/api/v1/environments/nowhere/check", server.adminToken(), null).status()).isEqualTo(404);
    assertThat(client.post("/api/v1/environments/vm/check", server.tokenFor(Role.VIEWER), null).status()).isEqualTo(403);

    JsonNode items = client.get("/api/v1/environments", server.tokenFor(Role.VIEWER)).data().path("items");
    assertThat(items.path(0).path("name").asText()).isEqualTo("local");
    JsonNode vm = items.path(1);
    assertThat(vm.path("name").asText()).isEqualTo("vm");
    assertThat(vm.path("type").asText()).isEqualTo("ssh");
    assertThat(vm.path("labels").toString()).contains("linux", "vm");
    assertThat(vm.path("slots").asInt()).isEqualTo(4);
    assertThat(vm.path("reachable").asBoolean()).isTrue();
    assertThat(vm.path("rtt_ms").isNumber()).isTrue();
    assertThat(items.path(2).path("reachable").asBoolean()).isFalse();
    assertThat(items.path(2).path("last_error").asText()).contains("refused");

    // the unreachable ones degrade the server, not fail it
    await().atMost(WAIT).until(() -> client.get("/api/v1/health", null).data().path("components")
        .path("environments").path("status").asText().equals("degraded"));
    var health = client.get("/api/v1/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.data().path("status").asText()).isEqualTo("degraded");
    assertThat(health.data().path("components").path("environments").path("unreachable").path("changed").asText())
        .contains("refused");
    JsonNode metrics = client.get("/api/v1/execution/metrics", server.adminToken()).data().path("environments");
    assertThat(metrics.toString()).contains("\"name\":\"local\"", "\"name\":\"vm\"", "\"slots\":4");

    var unknown = client.send("POST", "/api/v1/executions", server.adminToken(), """
        name: nowhere
        environment: {name: nowhere}
        steps: [{name: a, run: "true"}]
        """, "text/yaml");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.text()).contains("no environment named 'nowhere'", "vm");
  }

  @Test
  void an_agent_on_the_vm_waits_for_each_command_and_runs_it_there_once_approved() throws Exception {
    Path proof = ssh.home().resolve("agent-proof.txt");
    var started = client.post("/api/v1/agent/execute", server.adminToken(),
        Map.of("agent", "careful", "goal", "Write the proof", "environment", "vm"));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    long id = started.data().path("session_id").asLong();
    await().atMost(WAIT).until(() -> client.get("/api/v1/executions/" + id, server.adminToken()).data()
        .path("status").asText().equals("waiting_approval"));
    JsonNode pending = null;
    for (JsonNode approval : client.get("/api/v1/approvals?status=pending", server.adminToken()).data().path("items")) {
      if (approval.path("execution_id").asLong() == id) pending = approval;
    }
    assertThat(pending).as("the waiting command is listed").isNotNull();
    assertThat(pending.path("environment").asText()).isEqualTo("vm");
    assertThat(pending.path("host").asText()).isEqualTo(OpenSshServer.user() + "@127.0.0.1:" + ssh.port());
    assertThat(pending.toString()).contains("agent-proof.txt");
    assertThat(proof).as("nothing ran before the approval").doesNotExist();

    var approved = client.post("/api/v1/executions/" + id + "/steps/1/approve", server.adminToken(),
        Map.of("approve", true, "call_key", "1.0"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(lines(proof)).containsExactly("written by the agent");
    assertThat(client.get("/api/v1/executions/" + id + "/logs?step=1", server.adminToken()).text())
        .contains("vm$ echo written by the agent");
    // the run's activity names the machine each command ran on
    try (var events = SseRecorder.open(client.baseUrl(), "/api/v1/executions/" + id + "/events?since=0",
        server.adminToken(), Map.of())) {
      await().atMost(WAIT).until(() -> events.has("tool_executing"));
      JsonNode executing = events.events().stream().filter(e -> e.type().equals("tool_executing")).findFirst()
          .orElseThrow().data();
      assertThat(executing.path("environment").asText()).isEqualTo("vm");
      assertThat(executing.path("host").asText()).isEqualTo(OpenSshServer.user() + "@127.0.0.1:" + ssh.port());
    }
  }

  @Test
  void an_agent_session_on_a_bad_environment_is_a_422_that_stores_nothing() {
    long before = client.get("/api/v1/executions?limit=200", server.adminToken()).data().path("items").size();
    var unknown = client.post("/api/v1/agent/execute", server.adminToken(),
        Map.of("agent", "careful", "goal", "anything", "environment", "nowhere"));
    assertThat(unknown.status()).as(unknown.text()).isEqualTo(422);
    assertThat(unknown.text()).contains("no environment named 'nowhere'");
    var notAName = client.post("/api/v1/agent/execute", server.adminToken(),
        Map.of("agent", "careful", "goal", "anything", "environment", 5));
    assertThat(notAName.status()).as(notAName.text()).isEqualTo(422);
    assertThat(notAName.text()).contains("environment").doesNotContain("Exception");
    assertThat(client.get("/api/v1/executions?limit=200", server.adminToken()).data().path("items").size())
        .isEqualTo(before);
  }

  @Test
  void steps_beyond_the_slots_of_an_environment_wait_queued_saying_why_and_never_run_beside_each_other() {
    // each step notes its start and its end: with one slot, no start comes between another's start and end
    Path log = ssh.home().resolve("narrow-" + UUID.randomUUID() + ".log");
    String step = "echo start >> " + log + "; sleep 1; echo end >> " + log;
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submit(server.adminToken(), """
          name: narrow %d
          environment: {name: narrow}
          steps:
            - name: count
              run: "%s"
          """.formatted(i, step)));
    }
    await().atMost(WAIT).until(() -> ids.stream().anyMatch(id -> client.get("/api/v1/executions/" + id,
        server.adminToken()).data().path("waiting_for").asText().equals("narrow")));
    JsonNode narrow = null;
    for (JsonNode item : client.get("/api/v1/environments", server.adminToken()).data().path("items")) {
      if (item.path("name").asText().equals("narrow")) narrow = item;
    }
    assertThat(narrow).isNotNull();
    assertThat(narrow.path("slots").asInt()).isEqualTo(1);
    for (long id : ids) assertThat(awaitFinished(id, server.adminToken()).path("status").asText()).isEqualTo("completed");
    assertThat(lines(log)).containsExactly("start", "end", "start", "end", "start", "end");
  }

  @Test
  @org.junit.jupiter.api.parallel.ResourceLock(org.junit.jupiter.api.parallel.Resources.SYSTEM_OUT) // it swaps System.out
  void env_trust_shows_the_hosts_keys_and_the_line_that_pins_one_without_logging_in() throws Exception {
    Path settings = keys.resolve("trust.yaml");
    Files.writeString(settings, """
        environments:
          newvm:
            type: ssh
            host: 127.0.0.1
            port: %d
            user: nobody-logs-in
        """.formatted(ssh.port()));
    var out = new java.io.ByteArrayOutputStream();
    var original = System.out;
    int code;
    try {
      System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
      code = dev.stepwise.Stepwise.commandLine().execute("env", "trust", "newvm", "--config", settings.toString());
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    var hostKey = HostKeys.parse(ssh.hostKey());
    assertThat(printed).contains("ssh-ed25519 " + HostKeys.fingerprint(hostKey), "ecdsa-sha2-nistp256 SHA256:",
        "ssh-rsa SHA256:", "host_key: \"" + HostKeys.line(hostKey) + "\"");
  }

  @Test
  void a_machine_behind_a_jump_host_pinned_by_known_hosts_runs_its_steps() {
    Path ran = ssh.home().resolve("behind-" + UUID.randomUUID() + ".txt");
    long id = submit(server.adminToken(), """
        name: behind the jump
        environment: {name: behind}
        steps:
          - name: touch
            run: "echo through the jump > %s"
        """.formatted(ran));
    JsonNode done = awaitFinished(id, server.adminToken());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(lines(ran)).containsExactly("through the jump");
    assertThat(done.path("environment").asText()).isEqualTo("behind");
  }

  /** Submits a plan whose one step sleeps on vm with {@code marker} in its command line; returns once it runs. */
  private long sleeperOnVm(String name, String marker) {
    long id = submit(server.adminToken(), """
        name: %s
        environment: {name: vm}
        steps:
          - name: wait
            run: "sleep 600; echo %s"
        """.formatted(name, marker));
    await().atMost(WAIT).until(() -> !HostProcesses.running(marker).isEmpty());
    return id;
  }

  /** The pids of processes on this machine (the host) whose command line has {@code marker}. */
  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
