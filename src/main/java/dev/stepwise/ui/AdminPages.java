package dev.stepwise.ui;

import dev.stepwise.auth.ApiTokenService;
import dev.stepwise.auth.Permission;
import dev.stepwise.auth.Role;
import dev.stepwise.auth.UserService;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.Map;

/** Users and roles (admins only), and the caller's own API tokens, a new one shown once. */
public final class AdminPages {
  private static final int USERS_SHOWN = 500;

  private final UserService users;
  private final ApiTokenService tokens;
  private final Frames frames;
  private final Templates templates;

  public AdminPages(UserService users, ApiTokenService tokens, Frames frames, Templates templates) {
    this.users = users;
    this.tokens = tokens;
    this.frames = frames;
    this.templates = templates;
  }

  public void register(Api api) {
    var admin = Access.page(Permission.USERS_ADMIN);
    api.page(HandlerType.GET, "/admin/users", admin, "Users and roles", ctx -> renderUsers(ctx, null));
    api.page(HandlerType.POST, "/admin/users", admin, "Create a user", ctx -> {
      try {
        users.create(new UserService.CreateRequest(ctx.formParam("username"), ctx.formParam("password"),
            ctx.formParam("role")));
        ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
      } catch (ApiError e) {
        if (e.status() != 422 && e.status() != 409) throw e;
        ctx.status(e.status());
        renderUsers(ctx, e.getMessage() + fieldReasons(e));
      }
    });
    api.page(HandlerType.POST, "/admin/users/{id}", admin, "Change a user's role, or disable or enable them", ctx -> {
      Boolean disabled = ctx.formParam("disabled") == null ? null : Forms.decision(ctx, "disabled");
      users.update(PathParams.id(ctx, "id"), new UserService.UpdateRequest(Forms.optional(ctx, "role"), null, disabled));
      ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
    });
    api.page(HandlerType.POST, "/admin/users/{id}/delete", admin, "Delete a user", ctx -> {
      users.delete(PathParams.id(ctx, "id"));
      ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
    });
    api.page(HandlerType.GET, "/admin/tokens", Access.signedIn(), "Your API tokens", ctx -> renderTokens(ctx, null));
    api.page(HandlerType.POST, "/admin/tokens", Access.signedIn(), "Create an API token (shown once)", ctx -> {
      String days = ctx.formParam("expires_in_days");
      Integer expires;
      try {
        expires = days == null || days.isBlank() ? null : Integer.valueOf(days.trim());
      } catch (NumberFormatException e) {
        throw ApiError.validation("expires_in_days", "must be a whole number of days");
      }
      renderTokens(ctx, tokens.create(AuthFilter.caller(ctx), new ApiTokenService.CreateRequest(ctx.formParam("name"),
          expires)));
    });
    api.page(HandlerType.POST, "/admin/tokens/{id}/revoke", Access.signedIn(), "Revoke one of your API tokens", ctx -> {
      tokens.revoke(AuthFilter.caller(ctx), PathParams.id(ctx, "id"));
      ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER);
    });
  }

  private void renderUsers(Context ctx, String error) {
    var parameters = new HashMap<String, Object>(Map.of("frame", frames.of(ctx, "Users", "admin", ""),
        "users", users.list(0, USERS_SHOWN).items(), "roles", Role.wireNames()));
    parameters.put("error", error);
    templates.render(ctx, "admin_users.jte", parameters);
  }

  private void renderTokens(Context ctx, ApiTokenService.Created created) {
    var parameters = new HashMap<String, Object>(Map.of("frame", frames.of(ctx, "API tokens", "admin", ""),
        "tokens", tokens.list(AuthFilter.caller(ctx))));
    parameters.put("created", created);
    templates.render(ctx, "admin_tokens.jte", parameters);
  }

  private static String fieldReasons(ApiError error) {
    return error.details().get("fields") instanceof Map<?, ?> fields ? ": " + fields : "";
  }
}
