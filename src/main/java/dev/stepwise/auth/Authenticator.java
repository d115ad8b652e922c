package dev.stepwise.auth;

import dev.stepwise.web.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Turns a bearer token into a {@link Caller}: verifies the JWT, checks that an API token has not
 * been revoked, and loads the user as they are now. Thread-safe.
 */
public final class Authenticator {
  private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final Users users;
  private final ApiTokens apiTokens;
  private final JwtTokens jwt;
  private final Clock clock;
  private final boolean demoEnabled;

  public Authenticator(Users users, ApiTokens apiTokens, JwtTokens jwt, Clock clock, boolean demoEnabled) {
    this.users = users;
    this.apiTokens = apiTokens;
    this.jwt = jwt;
    this.clock = clock;
    this.demoEnabled = demoEnabled;
  }

  /** @throws ApiError 401 when the token is not acceptable */
  public Caller authenticate(String token) {
    JwtTokens.Verified verified = jwt.verify(token);
    Long apiTokenId = null;
    if (verified.kind() == JwtTokens.Kind.API) apiTokenId = checkApiToken(token, verified.userId());
    User user = users.find(verified.userId())
        .orElseThrow(() -> ApiError.unauthenticated("the token's user no longer exists"));
    if (user.disabled()) throw ApiError.unauthenticated("this account is disabled; ask an admin to enable it");
    if (user.builtin() && !demoEnabled) {
      throw ApiError.unauthenticated("demo access is disabled on this server (it listens on a non-loopback address)");
    }
    return new Caller(user, apiTokenId, verified.expiresAt());
  }

  private long checkApiToken(String token, long userId) {
    var stored = apiTokens.findByHash(hash(token))
        .filter(s -> s.userId() == userId && s.token().revokedAt() == null)
        .orElseThrow(() -> ApiError.unauthenticated("this API token has been revoked"));
    Instant now = clock.instant();
    Instant lastUsed = stored.token().lastUsedAt();
    if (lastUsed == null || lastUsed.plus(LAST_USED_RESOLUTION).isBefore(now)) {
      apiTokens.markUsed(stored.token().id(), now);
    }
    return stored.token().id();
  }

  /** SHA-256 of the token: what the store keeps instead of the token. */
  static String hash(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
