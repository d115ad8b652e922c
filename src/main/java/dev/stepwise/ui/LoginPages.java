package dev.stepwise.ui;

import dev.stepwise.auth.LoginResponse;
import dev.stepwise.auth.LoginService;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.BrowserSession;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.function.Supplier;

/** Sign in (with a password, or as the demo user when that is on) and sign out. */
public final class LoginPages {
  private final LoginService logins;
  private final Templates templates;
  private final boolean demoEnabled;

  public LoginPages(LoginService logins, Templates templates, boolean demoEnabled) {
    this.logins = logins;
    this.templates = templates;
    this.demoEnabled = demoEnabled;
  }

  public void register(Api api) {
    api.page(HandlerType.GET, "/login", Access.PUBLIC, "The sign-in form", ctx -> form(ctx, 200, null));
    api.page(HandlerType.POST, "/login", Access.PUBLIC, "Sign in with username and password", ctx ->
        signIn(ctx, () -> logins.login(ctx.formParam("username"), ctx.formParam("password"))));
    api.page(HandlerType.POST, "/login/demo", Access.PUBLIC, "Sign in as the demo user", ctx ->
        signIn(ctx, logins::demoLogin));
    api.page(HandlerType.POST, "/logout", Access.signedIn(), "Sign out", ctx -> {
      BrowserSession.close(ctx);
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
    });
  }

  private void signIn(Context ctx, Supplier<LoginResponse> login) {
    try {
      BrowserSession.checkLoginCsrf(ctx);
      LoginResponse response = login.get();
      BrowserSession.open(ctx, response.accessToken(), Duration.ofSeconds(response.expiresIn()));
      ctx.redirect(Forms.safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    } catch (ApiError e) {
      if (e.details().get("retry_after_s") instanceof Long seconds) ctx.header("Retry-After", seconds.toString());
      form(ctx, e.status(), Show.sentence(e.getMessage()));
    }
  }

  private void form(Context ctx, int status, String error) {
    var parameters = new HashMap<String, Object>();
    parameters.put("next", Forms.safeNext(ctx.formParamMap().isEmpty() ? ctx.queryParam("next") : ctx.formParam("next")));
    parameters.put("error", error);
    parameters.put("demo", demoEnabled);
    parameters.put("csrf", BrowserSession.loginCsrfToken(ctx));
    ctx.status(status);
    templates.render(ctx, "login.jte", parameters);
  }
}
