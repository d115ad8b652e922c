package dev.stepwise.auth;

import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Long-lived API tokens that users create for scripts and CI. Thread-safe. */
public final class ApiTokenService {
  static final int DEFAULT_DAYS = 90;
  static final int MAX_DAYS = 365;

  private final ApiTokens store;
  private final JwtTokens jwt;
  private final Clock clock;
  private final TokenWatches watches;

  public ApiTokenService(ApiTokens store, JwtTokens jwt, Clock clock, TokenWatches watches) {
    this.store = store;
    this.jwt = jwt;
    this.clock = clock;
    this.watches = watches;
  }

  /** The request to create a token. */
  public record CreateRequest(String name, Integer expiresInDays) {
    void validate() {
      new Validation()
          .require("name", name).length("name", name == null ? null : name.trim(), 1, 100)
          .range("expires_in_days", expiresInDays, 1, MAX_DAYS)
          .orThrow();
    }
  }

  /** A new token: the only time its secret is shown. */
  public record Created(long id, String name, String token, Instant createdAt, Instant expiresAt) {}

  public Created create(Caller caller, CreateRequest request) {
    request.validate();
    if (caller.user().builtin()) {
      throw new ApiError(403, "FORBIDDEN", "the demo user cannot create API tokens; log in as a real user", null);
    }
    if (caller.apiTokenId() != null) {
      throw new ApiError(403, "FORBIDDEN", "an API token cannot create API tokens (revoking it would not revoke "
          + "them); log in with a password to create one", null);
    }
    Instant now = clock.instant();
    int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
    Instant expiresAt = now.plus(Duration.ofDays(days));
    JwtTokens.Issued issued = jwt.issueApiToken(caller.userId(), expiresAt);
    ApiToken token = store.create(caller.userId(), request.name().trim(),
        Authenticator.hash(issued.token()), now, expiresAt);
    return new Created(token.id(), token.name(), issued.token(), token.createdAt(), token.expiresAt());
  }

  public List<ApiToken> list(Caller caller) {
    return store.listForUser(caller.userId());
  }

  /**
   * Revokes at once: requests with the token are refused from now on, and its live connections on
   * this node end now. Revoking an already revoked token is not an error.
   */
  public void revoke(Caller caller, long tokenId) {
    if (!store.revoke(caller.userId(), tokenId, clock.instant()) && !store.exists(caller.userId(), tokenId)) {
      throw ApiError.notFound("you have no API token with id " + tokenId);
    }
    watches.tokenRevoked(tokenId);
  }
}
