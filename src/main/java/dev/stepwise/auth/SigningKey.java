package dev.stepwise.auth;

import dev.stepwise.secrets.KeyFile;
import java.nio.file.Path;

/**
 * The HMAC key that signs access tokens: configured, or generated on first start and kept in the
 * data dir, readable only by the owner.
 */
public final class SigningKey {
  public static final String FILE_NAME = "jwt-signing.key";

  private SigningKey() {}

  /** @param configured base64 key from the settings, or {@code null} to use the key file */
  public static byte[] load(String configured, Path dataDir) {
    return KeyFile.load(configured, dataDir, FILE_NAME, "the signing key");
  }
}
