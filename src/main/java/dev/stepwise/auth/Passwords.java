package dev.stepwise.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** bcrypt hashing of passwords. Thread-safe. */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
  public static final int MAX_BYTES = 72;
  public static final int MIN_LENGTH = 8;
  private static final int COST = 11;
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final SecureRandom random = new SecureRandom();
  /** Compared against when the user does not exist, so both cases take the same time. */
  private final String decoyHash = hash("decoy-password-for-timing");

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  /** Always costs one bcrypt verification, whatever the input, so that timing reveals nothing. */
  public boolean matches(String password, String hash) {
    boolean usable = password != null && !tooLong(password);
    boolean verified = BCrypt.verifyer().verify((usable ? password : "unusable-password").toCharArray(), hash).verified;
    return usable && verified;
  }

  /** Burns the same time as {@link #matches} for an unknown user. */
  public void matchDecoy(String password) {
    matches(password, decoyHash);
  }

  public static boolean tooLong(String password) {
    return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
  }

  /** A random password for the first-start admin: 20 characters, about 117 bits. */
  public String generate() {
    var text = new StringBuilder();
    for (int i = 0; i < 20; i++) text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return text.toString();
  }
}
