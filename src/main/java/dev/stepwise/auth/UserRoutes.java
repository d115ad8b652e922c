package dev.stepwise.auth;

import dev.stepwise.store.Page;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.Json;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import java.util.Map;

/** User administration (API.md §2), all under {@code users:admin}. */
public final class UserRoutes {
  private static final Access ADMIN = Access.requires(Permission.USERS_ADMIN);

  private final UserService users;

  public UserRoutes(UserService users) {
    this.users = users;
  }

  public void register(Api api) {
    String path = Api.V1 + "/users";
    api.get(path, ADMIN, "List users", ctx -> {
      var page = Pagination.from(ctx);
      Page<User> users = this.users.list(page.afterId(), page.limit());
      ApiResponse.ok(ctx, users);
    });
    api.create(path, ADMIN, "Create a user", ctx ->
        ApiResponse.created(ctx, users.create(Json.read(ctx, UserService.CreateRequest.class))));
    api.get(path + "/{id}", ADMIN, "One user", ctx -> ApiResponse.ok(ctx, users.get(PathParams.id(ctx, "id"))));
    api.patch(path + "/{id}", ADMIN, "Change a user's role, password or disabled flag", ctx -> {
      long id = PathParams.id(ctx, "id");
      ApiResponse.ok(ctx, users.update(id, Json.read(ctx, UserService.UpdateRequest.class)));
    });
    api.delete(path + "/{id}", ADMIN, "Delete a user and their API tokens", ctx -> {
      long id = PathParams.id(ctx, "id");
      users.delete(id);
      ApiResponse.ok(ctx, Map.of("id", id, "deleted", true));
    });
  }
}
