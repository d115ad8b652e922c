package dev.stepwise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real OpenSSH {@code sshd} on loopback for one test class: its own configuration, host key and
 * authorized client key in a temp directory, logins as the user the tests run as (key only), and
 * {@code HOME} set to a directory of its own so that nothing lands in the user's real home. Needs
 * Debian's {@code openssh-server} ({@code .ci/run} installs it).
 */
public final class OpenSshServer implements AutoCloseable {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final int port;
  private final Process process;

  private OpenSshServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static OpenSshServer start() {
    if (!Files.isExecutable(SSHD)) {
      throw new AssertionError("these tests run a real OpenSSH server and " + SSHD + " is missing: install "
          + "openssh-server (.ci/run does)");
    }
    try {
      Path dir = Files.createTempDirectory("stepwise-sshd-").toRealPath();
      Files.createDirectories(dir.resolve("home"));
      // like a stock OpenSSH, the host has keys of three types; the tests pin the ed25519 one
      keygen(dir.resolve("host_ed25519"));
      keygen(dir.resolve("host_ecdsa"), "ecdsa");
      keygen(dir.resolve("host_rsa"), "rsa");
      keygen(dir.resolve("client_ed25519"));
      Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
      Files.createDirectories(Path.of("/run/sshd")); // OpenSSH's privilege separation directory
      int port;
      try (var socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_ecdsa"),
          "HostKey " + dir.resolve("host_rsa"), "HostKey " + dir.resolve("host_ed25519"),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PasswordAuthentication no",
          "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no",
          "PidFile " + dir.resolve("sshd.pid"), "SetEnv HOME=" + dir.resolve("home"), "LogLevel ERROR",
          "MaxSessions 20", "") );
      Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
      var server = new OpenSshServer(dir, port, process);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() throws IOException {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
      try (var socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new AssertionError("sshd did not listen on " + port + " within 20 s");
  }

  private static void keygen(Path file) throws IOException {
    keygen(file, "ed25519");
  }

  private static void keygen(Path file, String type) throws IOException {
    try {
      Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "stepwise-test", "-f",
          file.toString()).redirectErrorStream(true).start();
      if (keygen.waitFor() != 0) throw new AssertionError("ssh-keygen failed: " + new String(keygen.getInputStream().readAllBytes()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** A {@code stepwise.yaml} that declares this server as environment {@code vm} with {@code slots}. */
  public String settings(int slots) {
    return """
        environments:
          vm:
            type: ssh
            host: 127.0.0.1
            port: %d
            user: %s
            private_key: %s
            host_key: "%s"
            slots: %d
        """.formatted(port, user(), clientKey(), hostKey(), slots);
  }

  /** The host's public key line, as {@code host_key:} pins it. */
  public String hostKey() {
    return read("host_ed25519.pub");
  }

  /** The private key the server accepts. */
  public Path clientKey() {
    return dir.resolve("client_ed25519");
  }

  /** The directory that is {@code $HOME} of every session. */
  public Path home() {
    return dir.resolve("home");
  }

  /** The user logins are for: whoever runs the tests. */
  public static String user() {
    return System.getProperty("user.name");
  }

  /** The sshd processes serving open connections (children of the listening one). */
  public List<ProcessHandle> connectionProcesses() {
    return process.toHandle().children().toList();
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
