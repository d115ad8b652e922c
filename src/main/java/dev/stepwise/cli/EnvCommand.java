package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stepwise.environments.HostKeys;
import dev.stepwise.environments.ssh.HostKeyScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stepwise env trust NAME}: the keys of a remote environment's host, to compare and pin. */
@Command(name = "env", mixinStandardHelpOptions = true, description = "Remote environments.",
    subcommands = {EnvCommand.Trust.class})
public final class EnvCommand extends CommandGroup {
  @Command(name = "trust", mixinStandardHelpOptions = true,
      description = "Show the keys the environment's host presents, with their fingerprints, and the line that pins "
          + "one. Nothing is trusted until you add that line: compare the fingerprint with the machine's own first.")
  static final class Trust implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Parameters(paramLabel = "NAME", description = "The environment, as stepwise.yaml's environments: names it.")
    String name;

    @Override
    public Integer call() {
      Path file = settings.settingsFile();
      JsonNode environment;
      try {
        JsonNode root = Files.exists(file) ? new ObjectMapper(new YAMLFactory()).readTree(file.toFile()) : null;
        environment = root == null ? null : root.path("environments").get(name);
      } catch (IOException e) {
        System.err.println("stepwise: cannot read " + file + ": " + Errors.describe(e));
        return 1;
      }
      if (environment == null || !environment.path("host").isTextual()) {
        System.err.println("stepwise: " + file + " has no environments." + name + " with a host");
        return 1;
      }
      if (environment.hasNonNull("jump")) {
        System.err.println("stepwise: " + name + " is reached through " + environment.path("jump").asText()
            + "; ask its keys from a machine that reaches it: ssh-keyscan " + environment.path("host").asText());
        return 1;
      }
      String host = environment.path("host").asText();
      int port = environment.path("port").asInt(22);
      List<PublicKey> keys;
      try {
        keys = HostKeyScan.scan(host, port, Duration.ofSeconds(10));
      } catch (IOException e) {
        System.err.println("stepwise: cannot reach " + host + ":" + port + ": " + Errors.describe(e));
        return 1;
      }
      if (keys.isEmpty()) {
        System.err.println("stepwise: " + host + ":" + port + " showed no host key");
        return 1;
      }
      System.out.println("The host " + host + ":" + port + " of environment '" + name + "' shows these keys:");
      for (PublicKey key : keys) System.out.println("  " + HostKeys.describe(key));
      System.out.println();
      System.out.println("Compare a fingerprint with the machine's own (on it: ssh-keygen -lf "
          + "/etc/ssh/ssh_host_ed25519_key.pub). Only if they match, add under environments." + name + ":");
      System.out.println("  host_key: \"" + HostKeys.line(keys.getFirst()) + "\"");
      return 0;
    }
  }
}
