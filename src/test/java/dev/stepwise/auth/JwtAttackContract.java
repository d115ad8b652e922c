package dev.stepwise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Forged, altered and stale tokens are all refused with 401; a genuine one is accepted. */
public abstract class JwtAttackContract extends ServerContract {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private int me(String token) {
    return client.get("/api/v1/auth/me", token).status();
  }

  private static JWTClaimsSet.Builder adminClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(JwtTokens.ISSUER).audience(JwtTokens.AUDIENCE).subject("1")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .jwtID(UUID.randomUUID().toString()).claim("typ", "session");
  }

  private static String sign(JWSAlgorithm algorithm, byte[] key, JWTClaimsSet claims) throws Exception {
    var jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  @Test
  void a_genuine_token_signed_with_the_servers_key_is_accepted() throws Exception {
    assertThat(me(sign(JWSAlgorithm.HS256, TestServer.SIGNING_KEY, adminClaims().build()))).isEqualTo(200);
    assertThat(me(server.adminToken())).isEqualTo(200);
  }

  @Test
  void a_token_issued_or_valid_only_in_the_future_is_refused_beyond_a_small_clock_skew() throws Exception {
    Instant later = Instant.now().plusSeconds(120);
    var notYet = adminClaims().notBeforeTime(Date.from(later)).build();
    var fromTheFuture = adminClaims().issueTime(Date.from(later)).build();
    var response = client.get("/api/v1/auth/me", sign(JWSAlgorithm.HS256, TestServer.SIGNING_KEY, notYet));
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body().path("error").path("message").asText()).contains("not valid yet");
    assertThat(me(sign(JWSAlgorithm.HS256, TestServer.SIGNING_KEY, fromTheFuture))).isEqualTo(401);
    // a second or two of difference between clocks is tolerated
    var skewed = adminClaims().notBeforeTime(Date.from(Instant.now().plusSeconds(2)))
        .issueTime(Date.from(Instant.now().plusSeconds(2))).build();
    assertThat(me(sign(JWSAlgorithm.HS256, TestServer.SIGNING_KEY, skewed))).isEqualTo(200);
  }

  @Test
  void alg_none_is_refused() {
    String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = URL.encodeToString(adminClaims().build().toString().getBytes(StandardCharsets.UTF_8));
    assertThat(me(header + "." + payload + ".")).isEqualTo(401);
    assertThat(me(header + "." + payload)).isEqualTo(401);
  }

  @Test
  void another_hmac_algorithm_is_refused_even_with_the_servers_own_key() throws Exception {
    // Signed by hand: a library would refuse HS512 with a 256-bit key, but an attacker would not.
    String header = URL.encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = URL.encodeToString(adminClaims().build().toString().getBytes(StandardCharsets.UTF_8));
    var mac = javax.crypto.Mac.getInstance("HmacSHA512");
    mac.init(new javax.crypto.spec.SecretKeySpec(TestServer.SIGNING_KEY, "HmacSHA512"));
    String signature = URL.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
    assertThat(me(header + "." + payload + "." + signature)).isEqualTo(401);
  }

  @Test
  void a_genuinely_signed_api_token_that_was_never_issued_is_refused() throws Exception {
    var claims = adminClaims().claim("typ", "api").build();
    var response = client.get("/api/v1/auth/me", sign(JWSAlgorithm.HS256, TestServer.SIGNING_KEY, claims));
    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void an_rsa_signed_token_is_refused() throws Exception {
    var rsa = new RSAKeyGenerator(2048).generate();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), adminClaims().build());
    jwt.sign(new RSASSASigner(rsa));
    assertThat(me(jwt.serialize())).isEqualTo(401);
  }

  @Test
  void a_tampered_payload_is_refused() {
    String demo = client.demoLogin();
    String[] parts = demo.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replaceFirst("\"sub\":\"\\d+\"", "\"sub\":\"1\"");
    String forged = parts[0] + "." + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(me(demo)).isEqualTo(200);
    assertThat(me(forged)).isEqualTo(401);
  }

  @Test
  void an_expired_token_is_refused() {
    Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String token = new JwtTokens(TestServer.SIGNING_KEY, Duration.ofMinutes(30), twoHoursAgo).issueSession(1).token();
    var response = client.get("/api/v1/auth/me", token);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body().path("error").path("message").asText()).contains("expired");
  }

  @Test
  void a_token_signed_by_another_key_is_refused() {
    byte[] otherKey = "another-key-another-key-another!".getBytes(StandardCharsets.UTF_8);
    String token = new JwtTokens(otherKey, Duration.ofMinutes(30), Clock.systemUTC()).issueSession(1).token();
    assertThat(me(token)).isEqualTo(401);
  }

  @Test
  void wrong_issuer_or_audience_or_missing_expiry_is_refused() throws Exception {
    byte[] key = TestServer.SIGNING_KEY;
    assertThat(me(sign(JWSAlgorithm.HS256, key, adminClaims().issuer("someone-else").build()))).isEqualTo(401);
    assertThat(me(sign(JWSAlgorithm.HS256, key, adminClaims().audience("other-api").build()))).isEqualTo(401);
    assertThat(me(sign(JWSAlgorithm.HS256, key, adminClaims().expirationTime(null).build()))).isEqualTo(401);
  }

  @Test
  void garbage_and_malformed_headers_are_refused() {
    assertThat(me("not-a-jwt")).isEqualTo(401);
    assertThat(me("a.b.c")).isEqualTo(401);
    var basic = client.sendWithHeaders("GET", "/api/v1/auth/me", null, null,
        java.util.Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));
    assertThat(basic.status()).isEqualTo(401);
    assertThat(basic.errorCode()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void a_token_in_the_query_string_is_not_accepted_by_ordinary_routes() {
    assertThat(client.get("/api/v1/auth/me?access_token=" + server.adminToken(), null).status()).isEqualTo(401);
  }
}
