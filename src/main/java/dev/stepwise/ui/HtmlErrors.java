package dev.stepwise.ui;

import dev.stepwise.web.ApiError;
import dev.stepwise.web.BrowserSession;
import dev.stepwise.web.ErrorPages;
import io.javalin.http.Context;
import java.util.Map;

/** Failures on dashboard pages, as a page that says what happened in words. Thread-safe. */
public final class HtmlErrors implements ErrorPages {
  private final Templates templates;

  public HtmlErrors(Templates templates) {
    this.templates = templates;
  }

  @Override
  public void render(Context ctx, ApiError error) {
    String message = error.getMessage();
    if ("FORBIDDEN".equals(error.code())) {
      message = "Your role does not allow this (it needs the permission " + error.details().get("required") + ").";
    } else {
      message = Show.sentence(message);
    }
    ctx.status(error.status());
    templates.render(ctx, "error.jte", Map.of("status", error.status(), "message", message,
        "signedIn", BrowserSession.token(ctx) != null));
  }
}
