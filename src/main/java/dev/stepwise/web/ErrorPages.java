package dev.stepwise.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How a failure is shown to a browser on a dashboard page, instead of the API's JSON envelope.
 * Implementations must be thread-safe.
 */
public interface ErrorPages {
  /** Writes an HTML page that says what went wrong. */
  void render(Context ctx, ApiError error);

  /** Marks the routes registered as pages, whose failures are shown as pages. */
  enum Marker implements RouteRole { PAGE }

  /** Whether the request is for a dashboard page rather than the API. */
  static boolean isPage(Context ctx) {
    return ctx.routeRoles().contains(Marker.PAGE);
  }

  /** Whether the answer should be a page: a dashboard route failed, or a browser asked for a path no route serves. */
  static boolean wantsPage(Context ctx) {
    if (isPage(ctx)) return true;
    String accept = ctx.header("Accept");
    return ctx.routeRoles().isEmpty() && !ctx.path().startsWith(Api.V1) && accept != null && accept.contains("text/html");
  }

  /** Sends a browser without a session to sign in, then back to where it was going. */
  static void signIn(Context ctx) {
    String query = ctx.queryString();
    String next = "GET".equals(ctx.method().name()) ? ctx.path() + (query == null ? "" : "?" + query) : "/";
    String page = ctx.header("HX-Current-URL"); // a live region's refresh: come back to its page, not the fragment
    if (page != null) {
      try {
        var current = URI.create(page);
        next = current.getRawPath() + (current.getRawQuery() == null ? "" : "?" + current.getRawQuery());
      } catch (IllegalArgumentException e) {
        next = "/";
      }
    }
    String location = "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    if (ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", location).status(401);
    } else {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    }
  }
}
