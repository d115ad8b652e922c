package dev.stepwise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.shell.InvertedShellWrapper;
import org.apache.sshd.server.shell.ProcessShell;

/**
 * MINA's SSH server in the test's own process, on loopback, for faults a real sshd makes hard to
 * arrange: {@link #freeze} makes every open connection stop answering while its socket stays
 * open, as a dead network would. Commands run with {@code /bin/sh -c} on this machine, with
 * {@code HOME} set to a directory of its own. Thread-safe.
 */
public final class MinaSshServer implements AutoCloseable {
  /** The one password the server accepts. */
  public static final String PASSWORD = "correct horse battery staple";

  private final SshServer server;
  private final Path dir;
  private final KeyPair hostKey;
  private final List<ServerSession> sessions = new CopyOnWriteArrayList<>();

  private MinaSshServer(SshServer server, Path dir, KeyPair hostKey) {
    this.server = server;
    this.dir = dir;
    this.hostKey = hostKey;
  }

  public static MinaSshServer start() {
    try {
      Path dir = Files.createTempDirectory("stepwise-mina-").toRealPath();
      Path home = Files.createDirectories(dir.resolve("home"));
      KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      KeyPair clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      try (var out = Files.newOutputStream(dir.resolve("client_ed25519"))) {
        new OpenSSHKeyPairResourceWriter().writePrivateKey(clientKey, "stepwise-test", null, out);
      }
      SshServer server = SshServer.setUpDefaultServer();
      server.setHost("127.0.0.1");
      server.setPort(0);
      server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
      server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(clientKey.getPublic(), key));
      server.setPasswordAuthenticator((user, password, session) -> PASSWORD.equals(password));
      server.setCommandFactory((channel, command) -> new InvertedShellWrapper(new ProcessShell("/bin/sh", "-c", command) {
        @Override
        protected Map<String, String> resolveShellEnvironment(Map<String, String> env) {
          var resolved = new HashMap<>(super.resolveShellEnvironment(env));
          resolved.put("HOME", home.toString());
          return resolved;
        }
      }));
      var mina = new MinaSshServer(server, dir, hostKey);
      server.addSessionListener(new SessionListener() {
        @Override
        public void sessionCreated(Session session) {
          if (session instanceof ServerSession serverSession) mina.sessions.add(serverSession);
        }
      });
      server.start();
      return mina;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The host key line, as {@code host_key:} pins it. */
  public String hostKey() {
    return PublicKeyEntry.toString(hostKey.getPublic());
  }

  public PublicKey hostPublicKey() {
    return hostKey.getPublic();
  }

  /** The private key the server accepts (OpenSSH format, no passphrase). */
  public Path clientKey() {
    return dir.resolve("client_ed25519");
  }

  /** {@code $HOME} of every command. */
  public Path home() {
    return dir.resolve("home");
  }

  /** Every open connection stops reading: keepalives go unanswered, the sockets stay open. */
  public void freeze() {
    sessions.stream().filter(ServerSession::isOpen).forEach(session -> session.getIoSession().suspendRead());
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
