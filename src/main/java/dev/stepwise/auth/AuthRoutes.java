package dev.stepwise.auth;

import dev.stepwise.store.Page;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.PathParams;
import dev.stepwise.web.Validation;
import java.util.Map;

/** Login, demo login, {@code /auth/me} and the caller's API tokens (API.md §2). */
public final class AuthRoutes {
  private final LoginService logins;
  private final ApiTokenService apiTokens;

  public AuthRoutes(LoginService logins, ApiTokenService apiTokens) {
    this.logins = logins;
    this.apiTokens = apiTokens;
  }

  record LoginRequest(String username, String password) {
    void validate() {
      new Validation().require("username", username).require("password", password).orThrow();
    }
  }

  public void register(Api api) {
    String auth = Api.V1 + "/auth";
    api.post(auth + "/login", Access.PUBLIC, "Log in with username and password", ctx -> {
      var request = Json.read(ctx, LoginRequest.class);
      request.validate();
      ApiResponse.ok(ctx, logins.login(request.username(), request.password()));
    });
    api.action(auth + "/demo-login", Access.PUBLIC, "Log in as the built-in demo user (loopback only by default)",
        ctx -> ApiResponse.ok(ctx, logins.demoLogin()));
    api.get(auth + "/me", Access.AUTHENTICATED, "The caller's user info",
        ctx -> ApiResponse.ok(ctx, UserInfo.of(AuthFilter.caller(ctx).user())));
    api.create(auth + "/tokens", Access.AUTHENTICATED, "Create a long-lived API token (shown once)", ctx -> {
      var request = Json.read(ctx, ApiTokenService.CreateRequest.class);
      ApiResponse.created(ctx, apiTokens.create(AuthFilter.caller(ctx), request));
    });
    api.get(auth + "/tokens", Access.AUTHENTICATED, "The caller's API tokens, without secrets",
        ctx -> ApiResponse.ok(ctx, new Page<>(apiTokens.list(AuthFilter.caller(ctx)), null)));
    api.delete(auth + "/tokens/{id}", Access.AUTHENTICATED, "Revoke one of the caller's API tokens", ctx -> {
      long id = PathParams.id(ctx, "id");
      apiTokens.revoke(AuthFilter.caller(ctx), id);
      ApiResponse.ok(ctx, Map.of("id", id, "revoked", true));
    });
  }
}
