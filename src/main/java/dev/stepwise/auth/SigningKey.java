package dev.stepwise.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC key that signs access tokens: configured, or generated on first start and kept in the
 * data dir, readable only by the owner.
 */
public final class SigningKey {
  public static final String FILE_NAME = "jwt-signing.key";

  private SigningKey() {}

  /** @param configured base64 key from the settings, or {@code null} to use the key file */
  public static byte[] load(String configured, Path dataDir) {
    if (configured != null) return Base64.getDecoder().decode(configured);
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) create(file);
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (key.length < 32) throw new IllegalStateException(file + " holds a key shorter than 256 bits");
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the signing key " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path temp = Files.createTempFile(file.getParent(), ".jwt", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.WRITE);
    try {
      Files.move(temp, file);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(temp);
    }
  }
}
