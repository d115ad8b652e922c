package dev.stepwise.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders the dashboard's JTE templates, precompiled into the jar at build time (so a template
 * error is a build error, and output is HTML-escaped unless a template says otherwise).
 * Thread-safe.
 */
public final class Templates {
  /** Scripts, styles and connections from this server only; no inline script, no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Writes {@code template} with its parameters as the response, never cached by the browser. */
  public void render(Context ctx, String template, Map<String, Object> parameters) {
    ctx.contentType("text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin")
        .result(text(template, parameters));
  }

  /** {@code template} rendered to a string (for benchmarks and fragments). */
  public String text(String template, Map<String, Object> parameters) {
    var output = new StringOutput(8192);
    engine.render(template, parameters, output);
    return output.toString();
  }
}
