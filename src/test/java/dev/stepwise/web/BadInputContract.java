package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Bad input on every route gets the right 4xx in the envelope and stores nothing. */
public abstract class BadInputContract extends ServerContract {
  private static final List<String> SNAPSHOT = List.of(
      "SELECT id, username, role, disabled, password_hash, updated_at FROM users ORDER BY id",
      "SELECT id, user_id, name, token_hash, expires_at, revoked_at FROM api_tokens ORDER BY id",
      "SELECT COUNT(*) FROM executions", "SELECT COUNT(*) FROM steps", "SELECT COUNT(*) FROM events");
  private List<List<List<Object>>> before;

  /** One bad request and the answer it must get. */
  record Case(String method, String path, String body, String contentType, int status, String field) {
    static Case json(String method, String path, String body, int status, String field) {
      return new Case(method, path, body, "application/json", status, field);
    }
  }

  @BeforeAll
  void countRows() {
    server.tokenFor(Role.ADMIN);
    before = Rows.snapshot(server.database(), SNAPSHOT);
  }

  static List<Case> cases() {
    String tooLongName = "n".repeat(101);
    String tooLongPassword = "p".repeat(73);
    return List.of(
        Case.json("POST", "/api/v1/auth/login", "{bad", 400, null),
        Case.json("POST", "/api/v1/auth/login", "", 400, null),
        Case.json("POST", "/api/v1/auth/login", "[1,2]", 400, null),
        Case.json("POST", "/api/v1/auth/login", "null", 400, null),
        Case.json("POST", "/api/v1/auth/login", "{\"username\":\"admin\"} trailing", 400, null),
        new Case("POST", "/api/v1/auth/login", "username=admin&password=x", "application/x-www-form-urlencoded", 400, null),
        new Case("POST", "/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\"}", "text/plain", 400, null),
        Case.json("POST", "/api/v1/auth/login", "{\"username\":\"admin\"}", 422, "password"),
        Case.json("POST", "/api/v1/auth/login", "{\"username\":7,\"password\":\"x\"}", 422, "username"),
        Case.json("POST", "/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\",\"remember\":true}", 422, "remember"),
        Case.json("POST", "/api/v1/auth/login", "{\"username\":\"ad\\u0000min\",\"password\":\"x\"}", 422, "body"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"c\\u0000i\"}", 422, "body"),
        Case.json("POST", "/api/v1/auth/tokens", "{bad", 400, null),
        Case.json("POST", "/api/v1/auth/tokens", "{}", 422, "name"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"   \"}", 422, "name"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"" + tooLongName + "\"}", 422, "name"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"expires_in_days\":0}", 422, "expires_in_days"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"expires_in_days\":366}", 422, "expires_in_days"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"expires_in_days\":\"7\"}", 422, "expires_in_days"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"expires_in_days\":1.5}", 422, "expires_in_days"),
        Case.json("POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"scope\":\"all\"}", 422, "scope"),
        new Case("DELETE", "/api/v1/auth/tokens/abc", null, null, 404, null),
        new Case("DELETE", "/api/v1/auth/tokens/-1", null, null, 404, null),
        new Case("GET", "/api/v1/users?limit=0", null, null, 422, "limit"),
        new Case("GET", "/api/v1/users?limit=501", null, null, 422, "limit"),
        new Case("GET", "/api/v1/users?limit=ten", null, null, 422, "limit"),
        new Case("GET", "/api/v1/users?cursor=xyz", null, null, 422, "cursor"),
        new Case("GET", "/api/v1/users/0", null, null, 404, null),
        new Case("GET", "/api/v1/users/1e3", null, null, 404, null),
        Case.json("POST", "/api/v1/users", "{bad", 400, null),
        Case.json("POST", "/api/v1/users", "{}", 422, "username"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"ab\",\"password\":\"long-enough\"}", 422, "username"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"../etc\",\"password\":\"long-enough\"}", 422, "username"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"gina\",\"password\":\"short\"}", 422, "password"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"gina\",\"password\":\"" + tooLongPassword + "\"}", 422, "password"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"gina\",\"password\":\"long-enough\",\"role\":\"god\"}", 422, "role"),
        Case.json("POST", "/api/v1/users", "{\"username\":\"gina\",\"password\":\"long-enough\",\"admin\":true}", 422, "admin"),
        Case.json("POST", "/api/v1/users", "{\"username\":[\"gina\"],\"password\":\"long-enough\"}", 422, "username"),
        Case.json("PATCH", "/api/v1/users/1", "{}", 422, "body"),
        Case.json("PATCH", "/api/v1/users/1", "{\"role\":\"root\"}", 422, "role"),
        Case.json("PATCH", "/api/v1/users/1", "{\"disabled\":\"yes\"}", 422, "disabled"),
        Case.json("PATCH", "/api/v1/users/1", "{\"disabled\":1}", 422, "disabled"),
        Case.json("PATCH", "/api/v1/users/1", "{\"password\":\"short\"}", 422, "password"),
        Case.json("PATCH", "/api/v1/users/1", "{bad", 400, null),
        Case.json("PATCH", "/api/v1/users/abc", "{\"role\":\"viewer\"}", 404, null),
        new Case("DELETE", "/api/v1/users/abc", null, null, 404, null));
  }

  @TestFactory
  Stream<DynamicTest> each_bad_request_gets_its_4xx_with_the_field_named() {
    String admin = server.tokenFor(Role.ADMIN);
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.method() + " " + c.path() + " " + c.body(), () -> {
      ApiClient.Response response = client.send(c.method(), c.path(), admin, c.body(), c.contentType());
      assertThat(response.status()).as(response.text()).isEqualTo(c.status());
      assertThat(response.body().path("success").asBoolean(true)).isFalse();
      assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
      if (c.field() != null) {
        assertThat(response.body().path("error").path("details").path("fields").has(c.field()))
            .as(response.text()).isTrue();
      }
    }));
  }

  @Test
  void malformed_json_on_every_route_that_takes_a_body_is_a_4xx_never_a_5xx() {
    String admin = server.tokenFor(Role.ADMIN);
    List<String> problems = new ArrayList<>();
    for (Api.Route route : server.app().http().routes()) {
      if (!route.takesBody()) continue;
      String path = route.path().replaceAll("\\{[^}]+}", "1");
      var response = client.send(route.method(), path, admin, "{\"broken\": ", "application/json");
      if (response.status() < 400 || response.status() >= 500) {
        problems.add(route.method() + " " + route.path() + " -> " + response.status());
      }
    }
    assertThat(problems).isEmpty();
  }

  @AfterAll
  void nothing_was_stored_or_changed() {
    assertThat(Rows.snapshot(server.database(), SNAPSHOT)).isEqualTo(before);
  }
}
