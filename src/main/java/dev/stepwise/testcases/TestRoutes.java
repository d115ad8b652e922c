package dev.stepwise.testcases;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import java.util.Map;

/** Test case CRUD (API.md §5). */
public final class TestRoutes {
  private final TestCaseService service;

  public TestRoutes(TestCaseService service) {
    this.service = service;
  }

  public void register(Api api) {
    String path = Api.V1 + "/tests";
    api.get(path, Access.requires(Permission.TEST_READ), "List test cases in id order; ?subsystem=&name= (a part of it)",
        ctx -> {
      var page = Pagination.from(ctx);
      ApiResponse.ok(ctx, service.list(ctx.queryParam("subsystem"), ctx.queryParam("name"), page.afterId(), page.limit()));
    });
    api.create(path, Access.requires(Permission.TEST_SUBMIT), "Create a test case by hand", ctx ->
        ApiResponse.created(ctx, service.create(AuthFilter.caller(ctx), Json.read(ctx, TestCaseService.Request.class))));
    api.get(path + "/{id}", Access.requires(Permission.TEST_READ), "One test case with its last result",
        ctx -> ApiResponse.ok(ctx, service.get(PathParams.id(ctx, "id"))));
    api.get(path + "/{id}/runs", Access.requires(Permission.TEST_READ), "A test case's runs, newest first", ctx -> {
      long id = PathParams.id(ctx, "id");
      var page = Pagination.from(ctx);
      ApiResponse.ok(ctx, service.runs(id, page.afterId(), page.limit()));
    });
    api.put(path + "/{id}", Access.requires(Permission.TEST_SUBMIT), "Replace a test case's fields", ctx -> {
      long id = PathParams.id(ctx, "id");
      ApiResponse.ok(ctx, service.update(id, Json.read(ctx, TestCaseService.Request.class)));
    });
    api.delete(path + "/{id}", Access.requires(Permission.TEST_DELETE), "Delete a test case", ctx -> {
      long id = PathParams.id(ctx, "id");
      service.delete(id);
      ApiResponse.ok(ctx, Map.of("id", id, "deleted", true));
    });
  }
}
