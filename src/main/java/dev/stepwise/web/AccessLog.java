package dev.stepwise.web;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request (method, path with secrets redacted, status, duration, request id) and the
 * HTTP timer for {@code /metrics}. Thread-safe.
 */
public final class AccessLog {
  private static final Logger log = LoggerFactory.getLogger("stepwise.access");
  private static final Pattern SECRET_PARAMS =
      Pattern.compile("((?:access_token|token|password|api_key)=)[^&]*", Pattern.CASE_INSENSITIVE);

  private final MeterRegistry metrics;

  public AccessLog(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  public void record(Context ctx, float millis) {
    String query = ctx.queryString();
    String target = query == null ? ctx.path() : ctx.path() + "?" + redact(query);
    int status = ctx.statusCode();
    log.info("{} {} {} {}ms rid={}", ctx.method(), target, status, Math.round(millis), RequestIds.of(ctx));
    Timer.builder("http.server.requests")
        .tag("method", ctx.method().name())
        .tag("uri", routeTemplate(ctx))
        .tag("status", Integer.toString(status))
        .register(metrics)
        .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
  }

  /** Redacts the values of query parameters that may carry secrets. */
  public static String redact(String query) {
    return SECRET_PARAMS.matcher(query).replaceAll("$1REDACTED");
  }

  private static String routeTemplate(Context ctx) {
    try {
      return ctx.endpoints().matchedHttpEndpoint().path;
    } catch (RuntimeException e) {
      return "UNMATCHED";
    }
  }
}
