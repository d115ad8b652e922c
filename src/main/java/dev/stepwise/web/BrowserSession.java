package dev.stepwise.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A signed-in browser: the login token kept in an {@code HttpOnly}, {@code SameSite=Strict}
 * cookie (and {@code Secure} over TLS), expiring with the token, and the CSRF token every form of
 * that session carries. The CSRF token is derived from the session token, so it needs no storage,
 * holds across server nodes and cannot be computed by a page that cannot read the cookie. Before
 * sign-in, the login form is protected the same way by a random pre-session cookie. Thread-safe.
 */
public final class BrowserSession {
  public static final String COOKIE = "stepwise_session";
  public static final String LOGIN_COOKIE = "stepwise_login";
  /** The form field and the header (for htmx requests) that carry the CSRF token. */
  public static final String CSRF_FIELD = "csrf";
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private BrowserSession() {}

  /** The session token the browser presents, or {@code null}. */
  public static String token(Context ctx) {
    String token = ctx.cookie(COOKIE);
    return token == null || token.isBlank() ? null : token;
  }

  /** Starts a session: the token as a cookie that expires with it. */
  public static void open(Context ctx, String token, Duration lifetime) {
    setCookie(ctx, COOKIE, token, lifetime.toSeconds());
    setCookie(ctx, LOGIN_COOKIE, "", 0);
  }

  /** Ends the session in this browser. */
  public static void close(Context ctx) {
    setCookie(ctx, COOKIE, "", 0);
  }

  /** The CSRF token of a session. */
  public static String csrfToken(String sessionToken) {
    return digest("stepwise-csrf\0" + sessionToken);
  }

  /** The login form's CSRF token: a fresh random one, kept in a short-lived cookie, unless one is there already. */
  public static String loginCsrfToken(Context ctx) {
    String existing = ctx.cookie(LOGIN_COOKIE);
    if (existing != null && existing.length() >= 32) return existing;
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    setCookie(ctx, LOGIN_COOKIE, token, Duration.ofHours(1).toSeconds());
    return token;
  }

  /** @throws ApiError 403 unless the request carries the CSRF token of {@code expected} */
  public static void checkCsrf(Context ctx, String expected) {
    String sent = ctx.header(CSRF_HEADER);
    if (sent == null) sent = ctx.formParam(CSRF_FIELD);
    if (expected == null || sent == null || !MessageDigest.isEqual(
        sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiError(403, "CSRF_FAILED",
          "this form is out of date or did not come from this site; reload the page and try again");
    }
  }

  /** The login form's check: the form's token must match the pre-session cookie. */
  public static void checkLoginCsrf(Context ctx) {
    String cookie = ctx.cookie(LOGIN_COOKIE);
    checkCsrf(ctx, cookie == null || cookie.length() < 32 ? null : cookie);
  }

  private static void setCookie(Context ctx, String name, String value, long maxAgeSeconds) {
    // a forged X-Forwarded-Proto only makes the cookie stricter
    boolean secure = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
