package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentsParserTest {
  private static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGueq9Y6bJPQE6AVp44zTBXFbWiUoU6mZTQC0CcJm6E stepwise-test";

  @TempDir
  Path dir;

  private JsonNode yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(text);
  }

  @Test
  void a_full_environment_is_read_with_its_defaults() throws Exception {
    Path key = Files.writeString(dir.resolve("deploy_ed25519"), "a key");
    var parser = new EnvironmentsParser(Map.of("DEPLOY_PASSPHRASE", "secret"));
    List<EnvironmentSpec> specs = parser.parse(yaml("""
        vm:
          type: ssh
          host: 10.0.0.5
          user: deploy
          private_key: %s
          passphrase_env: DEPLOY_PASSPHRASE
          host_key: "%s"
          labels: [linux, vm]
          slots: 2
          keepalive: 30s
        """.formatted(key, HOST_KEY)));
    assertThat(parser.problems()).isEmpty();
    EnvironmentSpec vm = specs.getFirst();
    assertThat(vm.port()).isEqualTo(22);
    assertThat(vm.address()).isEqualTo("deploy@10.0.0.5");
    assertThat(vm.authentication()).isEqualTo(new EnvironmentSpec.KeyFile(key, "DEPLOY_PASSPHRASE"));
    assertThat(vm.labels()).containsExactly("linux", "vm");
    assertThat(vm.slots()).isEqualTo(2);
    assertThat(vm.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(vm.keepalive()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void every_problem_is_named_at_once_and_nothing_is_trusted_without_a_pin() throws Exception {
    var parser = new EnvironmentsParser(Map.of());
    List<EnvironmentSpec> specs = parser.parse(yaml("""
        local: {type: ssh}
        vm:
          type: telnet
          host: "10.0.0.5; rm -rf /"
          user: deploy
          password: hunter2
          password_env: VM_PASSWORD
          jump: bastion
          slotz: 3
        other:
          type: ssh
          host: 10.0.0.6
          user: deploy
          private_key: /nowhere/key
          host_key: "not a key"
        """));
    assertThat(specs).isEmpty();
    assertThat(String.join("\n", parser.problems())).contains(
        "environments.local: 'local' is this node's own environment",
        "environments.vm.type: must be ssh",
        "environments.vm.host: must be a host name or an IP address",
        "environments.vm.password: a password is never written in the settings",
        "environments.vm.password_env: the variable VM_PASSWORD is not set",
        "environments.vm.host_key: is required (or known_hosts)",
        "environments.vm.slotz: unknown field",
        "environments.other.private_key: cannot read /nowhere/key",
        "environments.other.host_key: must be a public key line");
  }

  @Test
  void a_jump_must_exist_and_jumps_must_not_loop() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "a key");
    String env = """
          type: ssh
          host: 10.0.0.%d
          user: deploy
          private_key: %s
          host_key: "%s"
          jump: %s
        """;
    var parser = new EnvironmentsParser(Map.of());
    parser.parse(yaml("a:\n" + env.formatted(1, key, HOST_KEY, "b") + "b:\n" + env.formatted(2, key, HOST_KEY, "a")
        + "c:\n" + env.formatted(3, key, HOST_KEY, "nowhere")));
    assertThat(String.join("\n", parser.problems())).contains("environments.a.jump: the jumps loop: a → b → a",
        "environments.c.jump: no environment named 'nowhere'");
  }
}
