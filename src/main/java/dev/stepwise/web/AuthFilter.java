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
    boolean queryAllowed = access instanceof Access.Requires r && r.queryToken();
    String token = token(ctx, queryAllowed);
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

  private static String token(Context ctx, boolean queryAllowed) {
    String header = ctx.header("Authorization");
    if (header != null) {
      if (header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return header.substring(BEARER.length()).trim();
      }
      throw ApiError.unauthenticated("the Authorization header must be 'Bearer <token>'");
    }
    if (queryAllowed) {
      String query = ctx.queryParam("access_token");
      if (query != null && !query.isBlank()) return query;
    }
    return null;
  }
}
