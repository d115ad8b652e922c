package dev.stepwise.environments.ssh;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * The keys a host shows, one per type, read without logging in (as {@code ssh-keyscan} does), so
 * that an admin can compare a fingerprint and pin the key. Nothing runs on the host.
 */
public final class HostKeyScan {
  /** The host key types asked for, in the order they are shown. */
  private static final List<List<String>> TYPES = List.of(List.of("ssh-ed25519"),
      List.of("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"),
      List.of("rsa-sha2-512", "rsa-sha2-256"));

  private HostKeyScan() {}

  /** Every key the host shows of the common types; empty when it cannot be reached. */
  public static List<PublicKey> scan(String host, int port, Duration timeout) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    IOException unreachable = null;
    for (List<String> algorithms : TYPES) {
      var shown = new AtomicReference<PublicKey>();
      SshClient client = SshClient.setUpDefaultClient();
      client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
      client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
      client.setSignatureFactories(client.getSignatureFactories().stream()
          .filter(f -> algorithms.contains(f.getName())).toList());
      client.setServerKeyVerifier((session, remote, key) -> {
        shown.set(key);
        return false; // never log in: the key is all that is wanted
      });
      client.start();
      try (ClientSession session = client.connect("stepwise-scan", host, port).verify(timeout).getSession()) {
        session.auth().verify(timeout);
      } catch (IOException e) {
        if (shown.get() == null && e.getMessage() != null && !e.getMessage().contains("key")) unreachable = e;
      } finally {
        client.stop();
      }
      if (shown.get() != null) keys.add(shown.get());
    }
    if (keys.isEmpty() && unreachable != null) throw unreachable;
    return keys;
  }
}
