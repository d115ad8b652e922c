package dev.stepwise.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stepwise.web.ApiError;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Issues and verifies Stepwise JWTs. The algorithm is fixed to HS256: a token announcing any
 * other algorithm (including {@code none}) is refused before its signature is looked at.
 * Issuer, audience and expiry are always checked; a token issued in the future or not valid yet
 * ({@code iat}, {@code nbf}) is refused beyond a clock skew of a few seconds. Thread-safe.
 */
public final class JwtTokens {
  public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;
  static final String ISSUER = "stepwise";
  static final String AUDIENCE = "stepwise-api";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration sessionTtl;
  private final Clock clock;

  /** What kind of token it is: a short login session, or a long-lived API token. */
  public enum Kind { SESSION, API }

  /** A token whose signature and claims checked out. */
  public record Verified(long userId, Kind kind, String tokenId, Instant expiresAt) {}

  /** A freshly signed token. */
  public record Issued(String token, String tokenId, Instant expiresAt) {}

  /** The token is not acceptable; the message is safe to show to the caller. */
  public static final class InvalidToken extends ApiError {
    InvalidToken(String message) {
      super(401, "UNAUTHENTICATED", message);
    }
  }

  public JwtTokens(byte[] key, Duration sessionTtl, Clock clock) {
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the signing key must be at least 256 bits", e);
    }
    this.sessionTtl = sessionTtl;
    this.clock = clock;
  }

  public Duration sessionTtl() {
    return sessionTtl;
  }

  public Issued issueSession(long userId) {
    return issue(userId, Kind.SESSION, clock.instant().plus(sessionTtl));
  }

  public Issued issueApiToken(long userId, Instant expiresAt) {
    return issue(userId, Kind.API, expiresAt);
  }

  private Issued issue(long userId, Kind kind, Instant expiresAt) {
    Instant now = clock.instant();
    String tokenId = UUID.randomUUID().toString();
    var claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER).audience(AUDIENCE).subject(Long.toString(userId))
        .issueTime(Date.from(now)).expirationTime(Date.from(expiresAt))
        .jwtID(tokenId).claim("typ", kind.name().toLowerCase())
        .build();
    var jwt = new SignedJWT(new JWSHeader.Builder(ALGORITHM).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), tokenId, expiresAt);
  }

  public Verified verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | IllegalArgumentException e) {
      throw new InvalidToken("the token is not a signed JWT");
    }
    if (!ALGORITHM.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidToken("the token's algorithm is not accepted");
    }
    try {
      if (!jwt.verify(verifier)) throw new InvalidToken("the token's signature is invalid");
      return checkClaims(jwt.getJWTClaimsSet());
    } catch (JOSEException | ParseException e) {
      throw new InvalidToken("the token cannot be verified");
    }
  }

  private Verified checkClaims(JWTClaimsSet claims) {
    Instant now = clock.instant();
    if (!ISSUER.equals(claims.getIssuer())) throw new InvalidToken("the token has the wrong issuer");
    if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
      throw new InvalidToken("the token has the wrong audience");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null) throw new InvalidToken("the token has no expiry");
    if (expiry.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
      throw new InvalidToken("the token has expired; log in again");
    }
    Date issued = claims.getIssueTime();
    if (issued != null && issued.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw new InvalidToken("the token was issued in the future");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && notBefore.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw new InvalidToken("the token is not valid yet");
    }
    Kind kind;
    long userId;
    try {
      kind = Kind.valueOf(String.valueOf(claims.getClaim("typ")).toUpperCase());
      userId = Long.parseLong(claims.getSubject());
    } catch (RuntimeException e) {
      throw new InvalidToken("the token's claims are malformed");
    }
    if (claims.getJWTID() == null) throw new InvalidToken("the token has no id");
    return new Verified(userId, kind, claims.getJWTID(), expiry.toInstant());
  }
}
