package dev.stepwise.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threads and messages through the API, on both databases. */
public abstract class ThreadsApiContract extends ServerContract {

  private void message(long threadId, String role, String content) {
    Rows.execute(server.database(), "INSERT INTO messages (thread_id, role, content, created_at) VALUES (" + threadId
        + ", '" + role + "', '" + content + "', 1000)");
    // as appending does: the thread becomes the most recently active one
    Rows.execute(server.database(), "UPDATE threads SET updated_at = (SELECT MAX(updated_at) FROM threads) + 1 "
        + "WHERE id = " + threadId);
  }

  @Test
  void threads_are_created_listed_by_recent_activity_with_their_latest_message() {
    String token = server.tokenFor(Role.OPERATOR);
    var created = client.post("/api/v1/threads", token, Map.of("title", "Deploy review"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    long first = created.data().path("id").asLong();
    assertThat(created.data().path("agent").asText()).isEqualTo("default");
    assertThat(created.data().path("last_message").isNull()).isTrue();
    long second = client.post("/api/v1/threads", token, Map.of("agent", "demo")).data().path("id").asLong();
    assertThat(client.get("/api/v1/threads/" + second, token).data().path("title").asText()).isEqualTo("New conversation");
    assertThat(client.get("/api/v1/threads/" + second, token).data().path("agent").asText()).isEqualTo("demo");

    message(first, "user", "is the deploy safe?");
    message(first, "assistant", "yes, all checks passed");
    JsonNode items = client.get("/api/v1/threads", token).data().path("items");
    assertThat(items.get(0).path("id").asLong()).isEqualTo(first);
    assertThat(items.get(0).path("last_message").path("content").asText()).isEqualTo("yes, all checks passed");
    assertThat(items.get(1).path("id").asLong()).isEqualTo(second);

    JsonNode page = client.get("/api/v1/threads?limit=1", token).data();
    assertThat(page.path("items")).hasSize(1);
    JsonNode next = client.get("/api/v1/threads?limit=1&cursor=" + page.path("next_cursor").asText(), token).data();
    assertThat(next.path("items").get(0).path("id").asLong()).isEqualTo(second);

    JsonNode messages = client.get("/api/v1/threads/" + first + "/messages", token).data().path("items");
    assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
  }

  @Test
  void another_users_thread_is_not_found_and_bad_input_is_refused() {
    String owner = server.tokenFor(Role.OPERATOR);
    long id = client.post("/api/v1/threads", owner, Map.of("title", "mine")).data().path("id").asLong();
    String admin = server.adminToken();
    assertThat(client.get("/api/v1/threads/" + id, admin).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/threads/" + id + "/messages", admin).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/threads", admin).data().path("items").toString()).doesNotContain("\"mine\"");
    assertThat(client.get("/api/v1/threads", server.tokenFor(Role.VIEWER)).status()).isEqualTo(403);

    var before = Rows.count(server.database(), List.of("threads", "messages", "executions", "agent_runs"));
    assertThat(client.post("/api/v1/threads", owner, Map.of("agent", "Bad Agent!")).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads", owner, Map.of("title", "x".repeat(201))).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads", owner, Map.of("colour", "red")).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads/" + id + "/messages", owner, Map.of()).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads/" + id + "/messages", owner, Map.of("content", "  ")).status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads/" + id + "/messages", owner, Map.of("content", "hi", "agent", "nobody"))
        .status()).isEqualTo(422);
    assertThat(client.post("/api/v1/threads/" + id + "/messages", owner, Map.of("content", "hi", "extra", 1)).status())
        .isEqualTo(422);
    assertThat(client.post("/api/v1/threads/" + id + "/messages", admin, Map.of("content", "hi")).status()).isEqualTo(404);
    assertThat(Rows.count(server.database(), List.of("threads", "messages", "executions", "agent_runs")))
        .isEqualTo(before);
  }
}
