package dev.stepwise.web;

import dev.stepwise.store.StoreUnavailable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become envelopes: API errors, the framework's own (unknown route,
 * wrong method, body too large) and anything unexpected, which is logged with the request id and
 * answered without a stack trace.
 */
public final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  /** @param pages how a failure on a dashboard page is shown to the browser */
  public static void register(RoutesConfig routes, ErrorPages pages) {
    routes.exception(SignInNeeded.class, (error, ctx) -> ErrorPages.signIn(ctx));
    routes.exception(ApiError.class, (error, ctx) -> respond(ctx, error, pages));
    routes.exception(HttpResponseException.class, (error, ctx) -> respond(ctx, translate(error, ctx), pages));
    routes.exception(StoreUnavailable.class, (error, ctx) -> {
      // logged once per outage by the store; a 503 tells the client to come back
      log.debug("{} {} (request {}): {}", ctx.method(), ctx.path(), RequestIds.of(ctx), error.reason());
      ctx.header("Retry-After", "2");
      respond(ctx, unavailable(error), pages);
    });
    routes.exception(Exception.class, (error, ctx) -> {
      logUnexpected(error, ctx);
      respond(ctx, new ApiError(500, "INTERNAL",
          "something went wrong on the server; the log has the details under request id " + RequestIds.of(ctx)), pages);
    });
    routes.error(404, "*", ctx -> {
      if (ctx.attribute(ApiResponse.WRITTEN) != null) return;
      respond(ctx, ErrorPages.wantsPage(ctx) ? ApiError.notFound("there is no page at " + ctx.path())
          : ApiError.notFound("there is no route " + ctx.method() + " " + ctx.path()
              + "; GET /api/v1/openapi.json lists every route"), pages);
    });
    routes.error(405, "*", ctx -> {
      if (ctx.attribute(ApiResponse.WRITTEN) == null) respond(ctx, methodNotAllowed(ctx), pages);
    });
  }

  private static void respond(Context ctx, ApiError error, ErrorPages pages) {
    if (ErrorPages.wantsPage(ctx)) {
      ctx.attribute(ApiResponse.WRITTEN, true);
      pages.render(ctx, error);
    } else {
      ApiResponse.error(ctx, error);
    }
  }

  /**
   * Logs an unexpected failure with its request id. A database failure is logged by its SQL cause
   * only: the statement wrapper's message lists the bound values, which may be secrets or hashes.
   */
  private static void logUnexpected(Exception error, Context ctx) {
    java.sql.SQLException sql = null;
    for (Throwable t = error; t != null; t = t.getCause()) if (t instanceof java.sql.SQLException s) sql = s;
    if (error instanceof org.jdbi.v3.core.JdbiException && sql != null) {
      log.error("database failure in {} {} (request {}): SQLState {}: {}", ctx.method(), ctx.path(), RequestIds.of(ctx),
          sql.getSQLState(), String.valueOf(sql.getMessage()).lines().findFirst().orElse(""));
    } else {
      log.error("unexpected failure in {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), error);
    }
  }

  /** What a client is told when the database cannot serve its request. */
  public static ApiError unavailable(StoreUnavailable outage) {
    return new ApiError(503, "UNAVAILABLE", "the database cannot be used right now: " + outage.reason()
        + "; try again in a moment", Map.of("reason", outage.kind().name().toLowerCase(java.util.Locale.ROOT)));
  }

  private static ApiError translate(HttpResponseException error, Context ctx) {
    return switch (error.getStatus()) {
      case 400 -> ApiError.badRequest(error.getMessage());
      case 404 -> ErrorPages.wantsPage(ctx) ? ApiError.notFound("there is no page at " + ctx.path())
          : ApiError.notFound("there is no route " + ctx.method() + " " + ctx.path());
      case 405 -> methodNotAllowed(ctx);
      case 413 -> new ApiError(413, "PAYLOAD_TOO_LARGE",
          "the request body is larger than this server accepts (http.max_body)");
      default -> new ApiError(error.getStatus(), "HTTP_" + error.getStatus(), error.getMessage(), Map.of());
    };
  }

  private static ApiError methodNotAllowed(Context ctx) {
    return new ApiError(405, "METHOD_NOT_ALLOWED",
        ctx.method() + " is not allowed on " + ctx.path() + "; GET /api/v1/openapi.json lists the methods");
  }
}
