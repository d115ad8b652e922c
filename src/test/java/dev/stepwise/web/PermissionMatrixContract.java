package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.ServerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registered route × every role × no token: the route's declared access rule holds. The
 * routes come from the server itself, so a new route is covered the moment it exists.
 */
public abstract class PermissionMatrixContract extends ServerContract {
  private static final String MISSING_ID = "999999";

  @Test
  void the_server_registers_the_routes_of_the_contract() {
    assertThat(server.app().http().routes()).extracting(r -> r.method() + " " + r.path()).contains(
        "GET /api/v1/health", "GET /metrics", "GET /api/v1/openapi.json",
        "POST /api/v1/auth/login", "POST /api/v1/auth/demo-login", "GET /api/v1/auth/me",
        "POST /api/v1/auth/tokens", "GET /api/v1/auth/tokens", "DELETE /api/v1/auth/tokens/{id}",
        "GET /api/v1/users", "POST /api/v1/users", "PATCH /api/v1/users/{id}", "DELETE /api/v1/users/{id}",
        "POST /api/v1/executions", "GET /api/v1/executions", "GET /api/v1/executions/{id}",
        "GET /api/v1/executions/{id}/logs", "POST /api/v1/executions/{id}/cancel", "POST /api/v1/executions/{id}/retry",
        "POST /api/v1/executions/{id}/steps/{n}/approve", "GET /api/v1/approvals", "GET /api/v1/executions/{id}/events",
        "GET /api/v1/events/stream", "POST /api/v1/execution/start", "GET /api/v1/execution/active",
        "GET /api/v1/execution/metrics", "POST /api/v1/execution/orchestrator/poll",
        "POST /api/v1/execution/orchestrator/restart", "POST /api/v1/agent/execute", "GET /api/v1/agent/{session_id}",
        "POST /api/v1/agent/{session_id}/approve-step", "GET /api/v1/agent/approvals/pending");
  }

  @TestFactory
  Stream<DynamicTest> every_route_enforces_its_access_rule_for_every_role_and_for_no_token() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Api.Route route : server.app().http().routes()) {
      String path = route.path().replaceAll("\\{[^}]+}", MISSING_ID);
      tests.add(DynamicTest.dynamicTest(route.method() + " " + route.path() + " without a token", () -> {
        ApiClient.Response response = call(route, path, null);
        if (route.access() instanceof Access.Public) {
          assertThat(response.status()).isNotIn(401, 403).isLessThan(500);
        } else {
          assertThat(response.status()).isEqualTo(401);
          assertThat(response.errorCode()).isEqualTo("UNAUTHENTICATED");
        }
      }));
      for (Role role : Role.values()) {
        tests.add(DynamicTest.dynamicTest(route.method() + " " + route.path() + " as " + role.wireName(), () -> {
          ApiClient.Response response = call(route, path, server.tokenFor(role));
          if (route.access() instanceof Access.Requires required && !role.allows(required.permission())) {
            assertThat(response.status()).as(response.text()).isEqualTo(403);
            assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
            assertThat(response.body().path("error").path("details").path("required").asText())
                .isEqualTo(required.permission().wireName());
          } else {
            assertThat(response.status()).as(response.text()).isNotIn(401, 403).isLessThan(500);
          }
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void the_demo_role_holds_exactly_the_four_demo_permissions() {
    var info = client.post("/api/v1/auth/demo-login", null, null).data().path("user_info");
    List<String> permissions = new ArrayList<>();
    info.path("permissions").forEach(p -> permissions.add(p.asText()));
    assertThat(permissions).containsExactlyInAnyOrder("test:submit", "test:read", "test:delete", "status:read");
    assertThat(info.path("role").asText()).isEqualTo("demo");
  }

  @Test
  void head_requests_follow_the_rule_of_their_get_route() {
    assertThat(client.send("HEAD", "/api/v1/health", null, null, (String) null).status()).isEqualTo(200);
    assertThat(client.send("HEAD", "/api/v1/auth/me", null, null, (String) null).status()).isEqualTo(401);
    assertThat(client.send("HEAD", "/api/v1/users", server.tokenFor(Role.VIEWER), null, (String) null).status()).isEqualTo(403);
    assertThat(client.send("HEAD", "/api/v1/users", server.tokenFor(Role.ADMIN), null, (String) null).status()).isEqualTo(200);
  }

  private ApiClient.Response call(Api.Route route, String path, String token) {
    if (route.stream()) {
      int status = client.openStatus(path, token);
      var json = status == 200 ? null : client.get(path, token).body();
      return new ApiClient.Response(status, json, json == null ? "" : json.toString(), null);
    }
    String body = route.takesBody() ? "{}" : null;
    return client.send(route.method(), path, token, body, body == null ? null : "application/json");
  }
}
