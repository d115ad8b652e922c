package dev.stepwise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Login, throttling, API tokens and user administration through the real API. */
public abstract class AuthApiContract extends ServerContract {

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.loginMaxFailures(3);
  }

  private ApiClient.Response login(String username, String password) {
    return client.post("/api/v1/auth/login", null, Map.of("username", username, "password", password));
  }

  private String createUser(String username, String role) {
    var created = client.post("/api/v1/users", server.adminToken(),
        Map.of("username", username, "password", "pw-" + username + "-123", "role", role));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.data().path("id").asText();
  }

  @Test
  void login_returns_a_bearer_token_with_the_users_info() {
    var response = login("admin", TestServer.ADMIN_PASSWORD);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().path("success").asBoolean()).isTrue();
    var data = response.data();
    assertThat(data.path("token_type").asText()).isEqualTo("bearer");
    assertThat(data.path("expires_in").asLong()).isEqualTo(1800);
    assertThat(data.path("user_info").path("role").asText()).isEqualTo("admin");
    assertThat(data.path("user_info").path("permissions")).hasSize(Permission.values().length);
    var me = client.get("/api/v1/auth/me", data.path("access_token").asText());
    assertThat(me.data().path("username").asText()).isEqualTo("admin");
  }

  @Test
  void unknown_users_and_wrong_passwords_get_the_same_answer() {
    var unknown = login("nobody-at-all", "whatever-pw");
    var wrong = login("admin", "wrong-password");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.body().path("error")).isEqualTo(wrong.body().path("error"));
  }

  @Test
  void repeated_failures_lock_the_account_with_retry_after_even_for_the_right_password() {
    createUser("locky", "viewer");
    for (int i = 0; i < 3; i++) assertThat(login("locky", "wrong-" + i).status()).isEqualTo(401);
    var locked = login("locky", "pw-locky-123");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.errorCode()).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 300L);
    // Other accounts are not affected.
    assertThat(login("admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void unknown_usernames_are_throttled_too_so_locking_reveals_nothing() {
    for (int i = 0; i < 3; i++) login("ghost-user", "wrong");
    assertThat(login("ghost-user", "wrong").status()).isEqualTo(429);
  }

  @Test
  void an_api_token_is_shown_once_works_and_stops_working_the_moment_it_is_revoked() {
    String session = server.adminToken();
    var created = client.post("/api/v1/auth/tokens", session, Map.of("name", "ci", "expires_in_days", 7));
    assertThat(created.status()).isEqualTo(201);
    String token = created.data().path("token").asText();
    long id = created.data().path("id").asLong();
    assertThat(created.data().path("expires_at").asText()).isNotBlank();

    assertThat(client.get("/api/v1/auth/me", token).status()).isEqualTo(200);
    var list = client.get("/api/v1/auth/tokens", session);
    assertThat(list.data().path("items").toString()).contains("\"ci\"").doesNotContain(token);
    assertThat(list.data().path("items").get(0).has("token")).isFalse();

    assertThat(client.delete("/api/v1/auth/tokens/" + id, session).status()).isEqualTo(200);
    var refused = client.get("/api/v1/auth/me", token);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body().path("error").path("message").asText()).contains("revoked");
  }

  @Test
  void a_user_cannot_revoke_someone_elses_token() {
    var created = client.post("/api/v1/auth/tokens", server.adminToken(), Map.of("name", "mine"));
    long id = created.data().path("id").asLong();
    var other = client.delete("/api/v1/auth/tokens/" + id, client.demoLogin());
    assertThat(other.status()).isEqualTo(404);
    assertThat(client.get("/api/v1/auth/me", created.data().path("token").asText()).status()).isEqualTo(200);
  }

  @Test
  void role_changes_and_deletion_take_effect_on_existing_tokens_at_once() {
    String id = createUser("erin", "operator");
    String token = client.login("erin", "pw-erin-123");
    assertThat(client.get("/api/v1/auth/me", token).data().path("role").asText()).isEqualTo("operator");
    client.patch("/api/v1/users/" + id, server.adminToken(), Map.of("role", "viewer"));
    assertThat(client.get("/api/v1/auth/me", token).data().path("role").asText()).isEqualTo("viewer");
    client.patch("/api/v1/users/" + id, server.adminToken(), Map.of("disabled", true));
    assertThat(client.get("/api/v1/auth/me", token).status()).isEqualTo(401);
    assertThat(client.delete("/api/v1/users/" + id, server.adminToken()).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/auth/me", token).status()).isEqualTo(401);
    assertThat(login("erin", "pw-erin-123").status()).isEqualTo(401);
  }

  @Test
  void a_user_with_conversations_can_be_deleted_and_their_conversations_go_with_them() {
    String id = createUser("fay", "operator");
    String token = client.login("fay", "pw-fay-123");
    long thread = client.post("/api/v1/threads", token, Map.of("title", "mine")).data().path("id").asLong();
    var sent = client.post("/api/v1/threads/" + thread + "/messages", token, Map.of("content", "hi", "agent", "demo"));
    assertThat(sent.status()).as(sent.text()).isEqualTo(202);
    long run = sent.data().path("run_id").asLong();
    awaitFinished(run, server.adminToken());
    var deleted = client.delete("/api/v1/users/" + id, server.adminToken());
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
    assertThat(Rows.count(server.database(), java.util.List.of("threads")).get("threads")).isZero();
    assertThat(client.get("/api/v1/executions/" + run, server.adminToken()).data().path("status").asText())
        .as("what they ran stays").isEqualTo("completed");
    String again = createUser("fay", "operator");
    assertThat(again).isNotEqualTo(id);
    var stop = client.post("/api/v1/agents/stop", client.login("fay", "pw-fay-123"), Map.of("run_id", run));
    assertThat(stop.status()).as("a later fay owns nothing of the first").isEqualTo(404);
  }

  @Test
  void admins_manage_users_and_passwords() {
    String id = createUser("frank", "viewer");
    var list = client.get("/api/v1/users?limit=500", server.adminToken());
    assertThat(list.data().path("items").toString()).contains("frank").doesNotContain("password");
    var changed = client.patch("/api/v1/users/" + id, server.adminToken(), Map.of("password", "a-new-password"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(login("frank", "pw-frank-123").status()).isEqualTo(401);
    assertThat(login("frank", "a-new-password").status()).isEqualTo(200);
    var duplicate = client.post("/api/v1/users", server.adminToken(),
        Map.of("username", "FRANK", "password", "something-long"));
    assertThat(duplicate.status()).isEqualTo(409);
  }

  @Test
  void the_last_admin_and_the_builtin_demo_user_are_protected() {
    long adminId = client.get("/api/v1/auth/me", server.adminToken()).data().path("id").asLong();
    assertThat(client.delete("/api/v1/users/" + adminId, server.adminToken()).status()).isEqualTo(409);
    assertThat(client.patch("/api/v1/users/" + adminId, server.adminToken(), Map.of("role", "viewer")).status())
        .isEqualTo(409);
    long demoId = client.get("/api/v1/auth/me", client.demoLogin()).data().path("id").asLong();
    assertThat(client.delete("/api/v1/users/" + demoId, server.adminToken()).status()).isEqualTo(409);
    assertThat(client.patch("/api/v1/users/" + demoId, server.adminToken(), Map.of("role", "admin")).status())
        .isEqualTo(409);
    assertThat(client.get("/api/v1/auth/me", client.demoLogin()).data().path("role").asText()).isEqualTo("demo");
  }

  @Test
  void neither_the_demo_user_nor_an_api_token_can_create_api_tokens() {
    var demo = client.post("/api/v1/auth/tokens", client.demoLogin(), Map.of("name", "sneaky"));
    assertThat(demo.status()).isEqualTo(403);
    String apiToken = client.post("/api/v1/auth/tokens", server.adminToken(), Map.of("name", "parent"))
        .data().path("token").asText();
    var child = client.post("/api/v1/auth/tokens", apiToken, Map.of("name", "child"));
    assertThat(child.status()).isEqualTo(403);
    assertThat(child.body().path("error").path("message").asText()).contains("log in with a password");
  }

  @Test
  void a_password_longer_than_bcrypt_reads_is_refused_not_cut() {
    createUser("longpw", "viewer");
    String password = "pw-longpw-123" + "x".repeat(70);
    assertThat(login("longpw", password).status()).isEqualTo(401);
  }

  @Test
  void the_demo_user_cannot_log_in_with_a_password() {
    assertThat(login("demo", "demo").status()).isEqualTo(401);
  }
}
