package dev.stepwise.web;

import dev.stepwise.auth.Authenticator;
import dev.stepwise.auth.Caller;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

/**
 * Enforces each route's declared {@link Access} before its handler runs, and makes the
 * {@link Caller} available to handlers. A route without a declaration is refused: the server
 * fails closed. Thread-safe.
 */
public final class AuthFilter {
  private static final String CALLER = "stepwise.caller";
  private static final String TOKEN = "stepwise.token";
  private static final String BEARER = "bearer ";

  private final Authenticator authenticator;

  public AuthFilter(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  public void handle(Context ctx) {
    Access access = null;
    for (RouteRole role : ctx.routeRoles()) if (role instanceof Access a) access = a;
    if (access == null) throw new IllegalStateException("route " + ctx.path() + " declares no access rule");
    if (access instanceof Access.Public) return;
    if (access instanceof Access.Page page) {
      handlePage(ctx, page);
      return;
    }
    boolean streamed = access instanceof Access.Requires r && r.queryToken();
    String token = token(ctx, streamed);
    if (token == null) {
      throw ApiError.unauthenticated(
          "this needs a token: send Authorization: Bearer <token>; get one from POST /api/v1/auth/login");
    }
    Caller caller = authenticator.authenticate(token);
    ctx.attribute(CALLER, caller);
    ctx.attribute(TOKEN, token);
    if (access instanceof Access.Requires r && !caller.can(r.permission())) {
      throw ApiError.forbidden(r.permission().wireName());
    }
  }

  /**
   * A page: the session cookie instead of a header, sign-in instead of a 401, and on a form the
   * session's CSRF token. What the page may do is then checked exactly like the API's routes.
   */
  private void handlePage(Context ctx, Access.Page page) {
    String token = BrowserSession.token(ctx);
    if (token == null) throw new SignInNeeded("Sign in to continue.");
    Caller caller;
    try {
      caller = authenticator.authenticate(token);
    } catch (ApiError e) {
      BrowserSession.close(ctx);
      throw new SignInNeeded("Your session has ended (" + e.getMessage() + "). Sign in again.");
    }
    ctx.attribute(CALLER, caller);
    ctx.attribute(TOKEN, token);
    if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
      BrowserSession.checkCsrf(ctx, BrowserSession.csrfToken(token));
    }
    if (page.permission() != null && !caller.can(page.permission())) {
      throw ApiError.forbidden(page.permission().wireName());
    }
  }

  /**
   * Whether a request comes from this site's own pages: a browser sends no {@code Origin} on a
   * same-origin GET, and this host's own origin otherwise.
   */
  private static boolean sameSite(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) return true;
    String host = ctx.header("Host");
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  /** The authenticated caller of a route that is not public. */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) throw new IllegalStateException("no caller: the route is public");
    return caller;
  }

  /** The token the caller presented, for a long-lived response that must check it again (a stream). */
  public static String token(Context ctx) {
    String token = ctx.attribute(TOKEN);
    if (token == null) throw new IllegalStateException("no token: the route is public");
    return token;
  }

  /**
   * @param streamed an event stream, which a browser's {@code EventSource} opens without headers:
   *     the token may come as {@code ?access_token=}, or as the dashboard's session cookie (a
   *     {@code SameSite=Strict} cookie on a read-only GET, so another site cannot use it)
   */
  private static String token(Context ctx, boolean streamed) {
    String header = ctx.header("Authorization");
    if (header != null) {
      if (header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return header.substring(BEARER.length()).trim();
      }
      throw ApiError.unauthenticated("the Authorization header must be 'Bearer <token>'");
    }
    if (streamed) {
      String query = ctx.queryParam("access_token");
      if (query != null && !query.isBlank()) return query;
      return sameSite(ctx) ? BrowserSession.token(ctx) : null;
    }
    return null;
  }
}
