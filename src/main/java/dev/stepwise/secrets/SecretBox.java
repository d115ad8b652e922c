package dev.stepwise.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts short secret values for storage with AES-256-GCM: a fresh 96-bit nonce per value and a
 * 128-bit tag, written as {@code v1:<base64(nonce || ciphertext || tag)>}. A value sealed under
 * another key, or altered, cannot be opened: {@link Unreadable}. Thread-safe.
 */
public final class SecretBox {
  /** The key file in the data dir used when {@code STEPWISE_SECRET_KEY} is not set. */
  public static final String KEY_FILE = "secret.key";
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  public SecretBox(byte[] key) {
    if (key.length < 32) throw new IllegalArgumentException("the secret key must be at least 256 bits");
    this.key = new SecretKeySpec(Arrays.copyOf(key, 32), "AES");
  }

  /** A value that cannot be opened with this key. The message names no cipher internals. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  public String seal(String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
    }
  }

  public String open(String sealed) {
    if (sealed == null || !sealed.startsWith(VERSION)) throw new Unreadable("a stored secret is not in a known format");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new Unreadable("a stored secret is damaged");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) throw new Unreadable("a stored secret is damaged");
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new Unreadable("a stored secret cannot be decrypted with this node's secret key: every node must have "
          + "the same STEPWISE_SECRET_KEY (or the same " + KEY_FILE + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
    }
  }
}
