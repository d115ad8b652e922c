package dev.stepwise.environments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A remote machine steps may run on, as {@code stepwise.yaml}'s {@code environments:} declares it
 * (API.md §10). Credentials are never inline: a key file (its passphrase, if any, from a variable of
 * the server's environment) or a password from a variable.
 *
 * @param hostKey the pinned host key, as an OpenSSH public key line, or {@code null} when {@code knownHosts} pins it
 * @param knownHosts a known_hosts file that pins the host key, or {@code null}
 * @param jump another environment to connect through, or {@code null}
 * @param slots how many steps may run on it at once, across every node
 */
public record EnvironmentSpec(String name, String host, int port, String user, Authentication authentication,
    String hostKey, Path knownHosts, String jump, List<String> labels, int slots, Duration connectTimeout,
    Duration keepalive) {
  public EnvironmentSpec {
    labels = List.copyOf(labels);
  }

  /** {@code user@host:port}, as messages name the machine. */
  public String address() {
    return user + "@" + host + (port == 22 ? "" : ":" + port);
  }

  /** How Stepwise proves who it is to the machine. */
  public sealed interface Authentication {}

  /** A private key file; {@code passphraseEnv} names the variable holding its passphrase, or is {@code null}. */
  public record KeyFile(Path path, String passphraseEnv) implements Authentication {}

  /** A password, read from the server's environment variable {@code env}. */
  public record PasswordEnv(String env) implements Authentication {}
}
