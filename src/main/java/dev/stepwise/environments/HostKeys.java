package dev.stepwise.environments;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * The host keys an environment pins: its {@code host_key} line, or the entries of its
 * {@code known_hosts} file that match its host and port. A key is trusted only when it is one of
 * them; there is no trust on first use. Thread-safe (immutable).
 */
public final class HostKeys {
  private final List<PublicKey> pinned;

  private HostKeys(List<PublicKey> pinned) {
    this.pinned = List.copyOf(pinned);
  }

  /** The keys {@code spec} pins; a known_hosts file is read now. */
  public static HostKeys of(EnvironmentSpec spec) throws IOException {
    if (spec.hostKey() != null) return new HostKeys(List.of(parse(spec.hostKey())));
    return new HostKeys(fromKnownHosts(spec.knownHosts(), spec.host(), spec.port()));
  }

  /** The key types pinned ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}). */
  public java.util.Set<String> types() {
    var types = new java.util.LinkedHashSet<String>();
    pinned.forEach(key -> types.add(KeyUtils.getKeyType(key)));
    return types;
  }

  /**
   * Whether a host key signature algorithm proves a key of a pinned type: the server is asked for
   * the key that is pinned, not for whichever type the client would prefer.
   */
  public boolean accepts(String signatureAlgorithm) {
    return types().stream().anyMatch(type -> type.equals(signatureAlgorithm)
        || type.equals("ssh-rsa") && signatureAlgorithm.startsWith("rsa-sha2-"));
  }

  /** Whether {@code key} is one of the pinned keys. */
  public boolean trusts(PublicKey key) {
    return pinned.stream().anyMatch(p -> KeyUtils.compareKeys(p, key));
  }

  /** Parses an OpenSSH public key line ({@code ssh-ed25519 AAAA… [comment]}). */
  public static PublicKey parse(String line) {
    try {
      AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
      if (entry == null) throw new IllegalArgumentException("must be a public key line such as 'ssh-ed25519 AAAA…'");
      return entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("must be a public key line such as 'ssh-ed25519 AAAA…' (" + brief(e) + ")");
    }
  }

  /** {@code SHA256:…}, as {@code ssh-keygen -lf} shows it. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  /** The line that pins {@code key}: {@code ssh-ed25519 AAAA…}. */
  public static String line(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** The key type and fingerprint, as a refusal names the key it was shown. */
  public static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + fingerprint(key);
  }

  private static List<PublicKey> fromKnownHosts(Path file, String host, int port) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
      if (entry.getMarker() != null || !entry.isHostMatch(host, port)) continue;
      try {
        PublicKey key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        if (key != null) keys.add(key);
      } catch (GeneralSecurityException e) {
        throw new IOException("a line of " + file + " for " + host + " cannot be read: " + brief(e), e);
      }
    }
    return keys;
  }

  private static String brief(Exception e) {
    return e.getMessage() == null ? "unreadable" : e.getMessage();
  }
}
