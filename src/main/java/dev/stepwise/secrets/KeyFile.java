package dev.stepwise.secrets;

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
 * A 256-bit key: configured (base64), or generated on first start into a file in the data dir,
 * readable only by its owner. Several nodes sharing one database must be given the same key.
 */
public final class KeyFile {
  private KeyFile() {}

  /**
   * @param configured base64 key from the settings, or {@code null} to use the key file
   * @param purpose what the key is for, in words, for error messages ("the signing key")
   */
  public static byte[] load(String configured, Path dataDir, String fileName, String purpose) {
    if (configured != null) return Base64.getDecoder().decode(configured.trim());
    Path file = dataDir.resolve(fileName);
    try {
      if (!Files.exists(file)) create(file);
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (key.length < 32) throw new IllegalStateException(file + " holds a key shorter than 256 bits");
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + purpose + " " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " does not hold a base64 key", e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path temp = Files.createTempFile(file.getParent(), ".key", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.WRITE);
    try {
      // a link is made, or refused when the file exists, in one step: of two processes starting on a
      // fresh data dir, exactly one key wins and both read it
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException raced) {
      // another process made it first
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
