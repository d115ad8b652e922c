package dev.stepwise.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets browser pages of other origins call the API when the admin allows them
 * ({@code http.cors_origins}; none by default). A listed origin gets its own name back and may send
 * credentials; {@code *} lets any origin read, never with credentials. Preflight requests are
 * answered here, before any route: 204 for an allowed origin, 403 in the envelope otherwise. A
 * request from an origin that is not allowed is served without CORS headers, so the browser keeps
 * its answer from the page. Thread-safe.
 */
final class Cors {
  private static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
  private static final String HEADERS = "Authorization, Content-Type, Last-Event-ID, X-Request-Id";
  private static final String EXPOSED = "X-Request-Id, Retry-After";
  private static final String MAX_AGE_S = "600";

  private final Set<String> origins;
  private final boolean anyOrigin;

  Cors(Set<String> origins) {
    this.anyOrigin = origins.contains("*");
    this.origins = origins.stream().filter(o -> !o.equals("*")).map(Origins::normalize).collect(Collectors.toSet());
  }

  /** A {@code before} handler for every request. */
  void handle(Context ctx) {
    if (!ctx.path().startsWith(Api.V1)) return; // the dashboard's pages are for this site only
    String origin = ctx.header("Origin");
    if (origins.isEmpty() && !anyOrigin) {
      if (isPreflight(ctx)) refuse(ctx, origin);
      return;
    }
    ctx.header("Vary", "Origin"); // answers differ by origin: a cache must not hand one to another
    if (origin == null) {
      if (isPreflight(ctx)) refuse(ctx, null);
      return;
    }
    boolean listed = origins.contains(Origins.normalize(origin));
    if (!listed && !anyOrigin) {
      if (isPreflight(ctx)) refuse(ctx, origin);
      return;
    }
    ctx.header("Access-Control-Allow-Origin", listed ? origin : "*");
    if (listed) ctx.header("Access-Control-Allow-Credentials", "true");
    ctx.header("Access-Control-Expose-Headers", EXPOSED);
    if (isPreflight(ctx)) {
      ctx.header("Access-Control-Allow-Methods", METHODS);
      ctx.header("Access-Control-Allow-Headers", HEADERS);
      ctx.header("Access-Control-Max-Age", MAX_AGE_S);
      ctx.status(204);
      ctx.attribute(ApiResponse.WRITTEN, true);
      ctx.skipRemainingHandlers();
    }
  }

  private static boolean isPreflight(Context ctx) {
    return ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
  }

  private static void refuse(Context ctx, String origin) {
    ApiResponse.error(ctx, new ApiError(403, "FORBIDDEN", (origin == null ? "a preflight request without an Origin"
        : "the origin " + (origin.length() > 100 ? origin.substring(0, 100) + "…" : origin) + " may not call this API") + "; an admin allows origins with http.cors_origins"));
    ctx.skipRemainingHandlers();
  }
}
