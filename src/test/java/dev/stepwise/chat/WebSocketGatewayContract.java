package dev.stepwise.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.JwtTokens;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.Rows;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import dev.stepwise.testing.WsClient;
import dev.stepwise.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket gateway with real sockets (JDK client), on both databases. */
public abstract class WebSocketGatewayContract extends ServerContract {

  private URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port() + WebSocketGateway.PATH);
  }

  private WsClient connect(WebSocket.Builder builder) {
    WsClient client = new WsClient();
    client.socket = builder.connectTimeout(Duration.ofSeconds(10)).buildAsync(uri(), client).join();
    return client;
  }

  private static WebSocket.Builder builder() {
    return HttpClient.newHttpClient().newWebSocketBuilder();
  }

  private static int refusedStatus(Throwable thrown) {
    Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
    assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) cause).getResponse().statusCode();
  }

  @Test
  void a_client_authenticated_by_header_or_subprotocol_is_connected_first() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient byHeader = connect(builder().header("Authorization", "Bearer " + token));
    JsonNode connected = byHeader.next();
    assertThat(connected.path("type").asText()).isEqualTo("connected");
    assertThat(connected.path("connection_id").asText()).isNotBlank();
    assertThat(connected.path("user_id").asLong()).isPositive();

    WsClient byProtocol = connect(builder().subprotocols(WebSocketGateway.PROTOCOL, "bearer." + token));
    assertThat(byProtocol.socket.getSubprotocol()).isEqualTo("stepwise.v1");
    assertThat(byProtocol.next().path("type").asText()).isEqualTo("connected");
    byProtocol.send(Map.of("type", "ping"));
    assertThat(byProtocol.next().path("type").asText()).isEqualTo("pong");
  }

  @Test
  void no_token_a_bad_token_and_a_foreign_origin_are_refused_before_the_upgrade() {
    assertThat(refusedStatus(catchThrowable(() -> connect(builder())))).isEqualTo(401);
    assertThat(refusedStatus(catchThrowable(() -> connect(builder().header("Authorization", "Bearer nonsense")))))
        .isEqualTo(401);
    assertThat(refusedStatus(catchThrowable(() -> connect(builder().subprotocols("stepwise.v1", "bearer.x.y.z")))))
        .isEqualTo(401);
    String token = server.tokenFor(Role.VIEWER);
    assertThat(refusedStatus(catchThrowable(() -> connect(builder().header("Authorization", "Bearer " + token)
        .header("Origin", "https://evil.example"))))).isEqualTo(403);
    WsClient sameOrigin = connect(builder().header("Authorization", "Bearer " + token)
        .header("Origin", "http://127.0.0.1:" + server.port()));
    assertThat(sameOrigin.socket.isInputClosed()).isFalse();
  }

  @Test
  void malformed_and_unknown_messages_get_an_error_and_the_socket_stays_open() throws Exception {
    WsClient client = connect(builder().header("Authorization", "Bearer " + server.tokenFor(Role.VIEWER)));
    client.next();
    client.socket.sendText("{not json", true).join();
    assertThat(client.next().path("code").asText()).isEqualTo("BAD_REQUEST");
    client.send(Map.of("type", "dance"));
    assertThat(client.next().path("message").asText()).contains("unknown message type 'dance'");
    client.send(Map.of("type", "subscribe", "topics", List.of("nonsense")));
    assertThat(client.next().path("code").asText()).isEqualTo("VALIDATION_FAILED");
    client.send(Map.of("type", "approve", "execution_id", 1, "step_number", 1, "approve", true));
    assertThat(client.next().path("code").asText()).isEqualTo("FORBIDDEN");
    WsClient operator = connect(builder().header("Authorization", "Bearer " + server.tokenFor(Role.OPERATOR)));
    operator.next();
    operator.send(Map.of("type", "approve", "execution_id", 1, "step_number", 1.5, "approve", "yes"));
    assertThat(operator.next().path("message").asText()).contains("step_number").contains("approve");
    operator.send(Map.of("type", "approve", "execution_id", 1, "step_number", 1, "approve", true,
        "comment", "x".repeat(2001)));
    JsonNode tooLong = operator.next();
    assertThat(tooLong.path("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(tooLong.path("message").asText()).contains("comment");
    client.send(Map.of("type", "ping"));
    assertThat(client.next().path("type").asText()).isEqualTo("pong");
  }

  @Test
  void subscribers_get_an_executions_events_replayed_from_since_and_then_live() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    var first = this.client.post("/api/v1/executions", token, Map.of("name", "before", "steps",
        List.of(Map.of("name", "one", "type", "noop"))));
    long firstId = first.data().path("id").asLong();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        this.client.get("/api/v1/executions/" + firstId, token).data().path("status").asText().equals("completed"));

    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:" + firstId), "since", 0));
    JsonNode replayed = client.nextOfType("execution.queued");
    assertThat(replayed.path("topic").asText()).isEqualTo("execution:" + firstId);
    assertThat(client.nextOfType("execution.completed").path("data").path("status").asText()).isEqualTo("completed");

    client.send(Map.of("type", "subscribe", "topics", List.of("executions", "approvals")));
    var gated = this.client.post("/api/v1/executions", token, Map.of("name", "gated", "steps",
        List.of(Map.of("name", "gate", "type", "approval"), Map.of("name", "after", "type", "noop"))));
    long gatedId = gated.data().path("id").asLong();
    JsonNode requested = client.nextOfType("approval.requested");
    assertThat(requested.path("data").path("execution_id").asLong()).isEqualTo(gatedId);
    client.send(Map.of("type", "approve", "execution_id", gatedId, "step_number", 1, "approve", true));
    JsonNode completed = client.nextOfType("execution.completed");
    assertThat(completed.path("data").path("execution_id").asLong()).isEqualTo(gatedId);
    assertThat(completed.path("id").asLong()).isGreaterThan(requested.path("id").asLong());
  }

  @Test
  void subscribing_while_a_topics_events_keep_coming_delivers_each_once_in_order_from_the_acknowledged_point()
      throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient live = connect(builder().header("Authorization", "Bearer " + token));
    WsClient fromStart = connect(builder().header("Authorization", "Bearer " + token));
    live.next();
    fromStart.next();
    long openedAt = maxEventId();
    // executions keep being submitted and run while the sockets subscribe: one live, one from the start
    var ids = new java.util.concurrent.CopyOnWriteArrayList<Long>();
    var submitting = Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 60; i++) {
        ids.add(this.client.post("/api/v1/executions", token, Map.of("name", "busy-" + i, "steps",
            List.of(Map.of("name", "one", "type", "noop")))).data().path("id").asLong());
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> maxEventId() > openedAt + 10);
    live.send(Map.of("type", "subscribe", "topics", List.of("executions")));
    fromStart.send(Map.of("type", "subscribe", "topics", List.of("executions"), "since", 0));
    // a live subscribe follows from the moment it arrived: what committed before the socket's pump applied it
    // is replayed from the log ahead of the acknowledgement, then what is live follows
    List<Long> beforeAcknowledged = new java.util.ArrayList<>();
    JsonNode acknowledged;
    while (!(acknowledged = live.next()).path("type").asText().equals("subscribed")) {
      assertThat(acknowledged.path("id").asLong()).as("only events come before the acknowledgement: %s", acknowledged)
          .isPositive();
      beforeAcknowledged.add(acknowledged.path("id").asLong());
    }
    long liveFrom = acknowledged.path("replayed_to").asLong();
    long firstLive = beforeAcknowledged.isEmpty() ? liveFrom + 1 : beforeAcknowledged.getFirst();
    assertThat(firstLive).as("a live subscribe replays no past from before the socket opened").isGreaterThan(openedAt);
    assertThat(beforeAcknowledged).as("what came before the acknowledgement is covered by replayed_to")
        .allMatch(id -> id <= liveFrom);
    submitting.join();
    for (long id : ids) awaitFinished(id, token);

    List<Long> all = Rows.snapshot(server.database(), List.of("SELECT id FROM events WHERE topic LIKE 'execution:%'"
            + " AND type LIKE 'execution.%' ORDER BY id")).getFirst().stream()
        .map(row -> Long.parseLong((String) row.getFirst())).toList();
    // the last event of the 60 (the class's server may hold other tests' executions too)
    String topics = String.join(", ", ids.stream().map(id -> "'execution:" + id + "'").toList());
    long last = Long.parseLong((String) Rows.snapshot(server.database(), List.of(
        "SELECT MAX(id) FROM events WHERE topic IN (" + topics + ")")).getFirst().getFirst().getFirst());
    List<Long> expected = all.stream().filter(id -> id <= last).toList();
    assertThat(received(fromStart, last)).as("from the start: each event once, in id order, none missed")
        .containsExactlyElementsOf(expected);
    List<Long> liveReceived = new java.util.ArrayList<>(beforeAcknowledged);
    if (liveFrom < last) liveReceived.addAll(received(live, last));
    assertThat(liveReceived).as("live: each event from the moment the subscribe arrived once, in order")
        .containsExactlyElementsOf(expected.stream().filter(id -> id >= firstLive).toList());
  }

  @Test
  void a_topic_added_while_followed_ones_keep_coming_has_its_past_merged_in_and_each_event_comes_once()
      throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient socket = connect(builder().header("Authorization", "Bearer " + token));
    socket.next();
    socket.send(Map.of("type", "subscribe", "topics", List.of("executions")));
    JsonNode first = socket.next();
    assertThat(first.path("type").asText()).isEqualTo("subscribed");
    long liveFrom = first.path("replayed_to").asLong();
    var ids = new java.util.concurrent.CopyOnWriteArrayList<Long>();
    var submitting = Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 60; i++) {
        ids.add(this.client.post("/api/v1/executions", token, Map.of("name", "merged-" + i, "steps",
            List.of(Map.of("name", "one", "type", "noop")))).data().path("id").asLong());
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() >= 5);
    long watched = ids.getFirst();
    awaitFinished(watched, token);
    // its step events are not in `executions`: their past comes from the log, merged with what keeps coming
    socket.send(Map.of("type", "subscribe", "topics", List.of("execution:" + watched), "since", 0));
    submitting.join();
    for (long id : ids) awaitFinished(id, token);

    String topics = String.join(", ", ids.stream().map(id -> "'execution:" + id + "'").toList());
    long last = Long.parseLong((String) Rows.snapshot(server.database(), List.of(
        "SELECT MAX(id) FROM events WHERE topic IN (" + topics + ") AND type LIKE 'execution.%'"))
        .getFirst().getFirst().getFirst());
    List<Long> expected = Rows.snapshot(server.database(), List.of("SELECT id FROM events WHERE id <= " + last
            + " AND ((id > " + liveFrom + " AND topic LIKE 'execution:%' AND type LIKE 'execution.%')"
            + " OR topic = 'execution:" + watched + "') ORDER BY id")).getFirst().stream()
        .map(row -> Long.parseLong((String) row.getFirst())).toList();
    List<Long> got = new java.util.ArrayList<>();
    int acknowledgedAt = -1;
    // until the acknowledgement and every event expected: when the topic is added after the others' last
    // event came, its past comes after that event, so the last message need not be the newest
    while (acknowledgedAt < 0 || !new java.util.HashSet<>(got).containsAll(expected)) {
      JsonNode message = socket.next();
      if (message.path("type").asText().equals("subscribed")) acknowledgedAt = got.size();
      else if (message.path("id").asLong() > 0) got.add(message.path("id").asLong());
    }
    assertThat(got).as("each event of the followed topics once").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(got.subList(acknowledgedAt, got.size())).as("live after the acknowledgement, in id order").isSorted();
    // the watched execution's lifecycle came live with `executions`; its steps' events are its past
    List<Long> replayed = Rows.snapshot(server.database(), List.of("SELECT id FROM events WHERE topic = 'execution:"
        + watched + "' AND type NOT LIKE 'execution.%'")).getFirst().stream()
        .map(row -> Long.parseLong((String) row.getFirst())).toList();
    assertThat(got.stream().filter(replayed::contains).toList()).as("the added topic's past in id order").isSorted();
    assertThat(got.stream().filter(id -> !replayed.contains(id)).toList()).as("the followed topic's in id order")
        .isSorted();
  }

  @Test
  void a_topic_added_with_since_gets_its_whole_past_even_where_a_topic_followed_live_overlaps_it()
      throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    long id = this.client.post("/api/v1/executions", token, Map.of("name", "earlier", "steps",
        List.of(Map.of("name", "one", "type", "noop")))).data().path("id").asLong();
    awaitFinished(id, token);
    WsClient socket = connect(builder().header("Authorization", "Bearer " + token));
    socket.next();
    socket.send(Map.of("type", "subscribe", "topics", List.of("executions")));
    assertThat(socket.next().path("type").asText()).isEqualTo("subscribed");
    // `executions` follows the lifecycle events from now on only: the earlier ones were never sent
    socket.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    List<String> replayed = new java.util.ArrayList<>();
    for (JsonNode m = socket.next(); !m.path("type").asText().equals("subscribed"); m = socket.next()) {
      replayed.add(m.path("type").asText());
    }
    assertThat(replayed).startsWith("execution.queued", "execution.started").contains("step.started")
        .endsWith("execution.completed");
  }

  private long maxEventId() {
    return Long.parseLong((String) Rows.snapshot(server.database(), List.of("SELECT COALESCE(MAX(id), 0) FROM events"))
        .getFirst().getFirst().getFirst());
  }

  /** The ids of the events a socket got, up to and including {@code last}. */
  private static List<Long> received(WsClient client, long last) throws InterruptedException {
    List<Long> ids = new java.util.ArrayList<>();
    while (ids.isEmpty() || ids.getLast() < last) {
      JsonNode message = client.next();
      if (message.path("id").asLong() > 0) ids.add(message.path("id").asLong());
    }
    return ids;
  }

  private static String tokenExpiringIn(Duration left) {
    Duration ttl = Duration.ofMinutes(1);
    var issuedAt = java.time.Clock.fixed(java.time.Instant.now().minus(ttl).plus(left), java.time.ZoneOffset.UTC);
    return new JwtTokens(TestServer.SIGNING_KEY, ttl, issuedAt).issueSession(1).token();
  }

  @Test
  void an_expired_token_is_refused_and_a_socket_closes_when_its_token_expires() throws Exception {
    assertThat(refusedStatus(catchThrowable(() -> connect(builder().header("Authorization", "Bearer "
        + tokenExpiringIn(Duration.ofHours(-2))))))).isEqualTo(401);
    WsClient client = connect(builder().header("Authorization", "Bearer " + tokenExpiringIn(Duration.ofSeconds(3))));
    assertThat(client.next().path("type").asText()).isEqualTo("connected");
    assertThat(client.closed.get(30, TimeUnit.SECONDS)).startsWith("1008").contains("expired");
  }

  @Test
  void a_message_over_the_size_limit_closes_the_socket_with_1009() throws Exception {
    WsClient client = connect(builder().header("Authorization", "Bearer " + server.tokenFor(Role.VIEWER)));
    client.next();
    client.socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}", true);
    assertThat(client.closed.get(30, TimeUnit.SECONDS)).startsWith("1009");
  }

  @Test
  void a_subscribe_past_the_sockets_topic_limit_is_refused_and_changes_nothing_and_a_topic_named_twice_counts_once()
      throws Exception {
    WsClient client = connect(builder().header("Authorization", "Bearer " + server.tokenFor(Role.VIEWER)));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", executionTopics(1, 60)));
    assertThat(client.nextOfType("subscribed").path("topics")).hasSize(60);

    client.send(Map.of("type", "subscribe", "topics", executionTopics(61, 101)));
    JsonNode refused = reply(client);
    assertThat(refused.path("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(refused.path("message").asText()).contains("at most " + WsConnection.MAX_TOPICS + " topics");

    // had the refused subscribe followed any of its topics, these 40 would pass the limit too
    List<String> upToTheLimit = new java.util.ArrayList<>(executionTopics(61, 100));
    upToTheLimit.add("execution:61");
    upToTheLimit.add("execution:1");
    client.send(Map.of("type", "subscribe", "topics", upToTheLimit));
    assertThat(reply(client).path("type").asText()).isEqualTo("subscribed");
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:101")));
    assertThat(reply(client).path("code").asText()).isEqualTo("VALIDATION_FAILED");
  }

  /** The next message that answers the client, past any event of the topics it follows. */
  private static JsonNode reply(WsClient client) throws InterruptedException {
    JsonNode message = client.next();
    while (message.has("topic")) message = client.next();
    return message;
  }

  private static List<String> executionTopics(int first, int last) {
    return java.util.stream.IntStream.rangeClosed(first, last).mapToObj(id -> "execution:" + id).toList();
  }

  @Test
  void after_unsubscribing_no_more_events_arrive() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("executions")));
    this.client.post("/api/v1/executions", token, Map.of("name", "one", "steps", List.of(Map.of("name", "a", "type", "noop"))));
    client.nextOfType("execution.completed");
    client.send(Map.of("type", "unsubscribe", "topics", List.of("executions")));
    client.send(Map.of("type", "ping"));
    client.nextOfType("pong");
    client.messages.clear();
    var second = this.client.post("/api/v1/executions", token, Map.of("name", "two", "steps",
        List.of(Map.of("name", "a", "type", "noop"))));
    long secondId = second.data().path("id").asLong();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        this.client.get("/api/v1/executions/" + secondId, token).data().path("status").asText().equals("completed"));
    client.send(Map.of("type", "ping"));
    assertThat(client.next().path("type").asText()).isEqualTo("pong");
    assertThat(client.messages).isEmpty();
  }

  @Test
  void overlapping_subscriptions_deliver_each_event_once_and_topics_leave_one_by_one() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("executions", "approvals")));
    client.send(Map.of("type", "subscribe", "topics", List.of("executions")));
    long id = this.client.post("/api/v1/executions", token, Map.of("name", "once", "steps",
        List.of(Map.of("name", "a", "type", "noop")))).data().path("id").asLong();
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    JsonNode completed = client.nextOfType("execution.completed");
    client.send(Map.of("type", "ping"));
    List<JsonNode> rest = new java.util.ArrayList<>();
    for (JsonNode m = client.next(); !m.path("type").asText().equals("pong"); m = client.next()) rest.add(m);
    assertThat(rest).noneMatch(m -> m.path("id").asLong() == completed.path("id").asLong());

    client.send(Map.of("type", "unsubscribe", "topics", List.of("executions", "execution:" + id)));
    var gated = this.client.post("/api/v1/executions", token, Map.of("name", "gated", "steps",
        List.of(Map.of("name", "gate", "type", "approval"))));
    assertThat(client.nextOfType("approval.requested").path("data").path("execution_id").asLong())
        .isEqualTo(gated.data().path("id").asLong());
  }

  @Test
  void a_demoted_user_can_no_longer_approve_over_an_open_socket() throws Exception {
    String admin = server.adminToken();
    var created = this.client.post("/api/v1/users", admin, Map.of("username", "ws-operator", "password",
        "operator-pass-1", "role", "operator"));
    long userId = created.data().path("id").asLong();
    String token = this.client.login("ws-operator", "operator-pass-1");
    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    assertThat(this.client.patch("/api/v1/users/" + userId, admin, Map.of("role", "viewer")).status()).isEqualTo(200);
    client.send(Map.of("type", "approve", "execution_id", 1, "step_number", 1, "approve", true));
    JsonNode refused = client.nextOfType("error");
    assertThat(refused.path("code").asText()).isEqualTo("FORBIDDEN");
  }

  @Test
  void a_plain_http_request_gets_426_in_the_envelope() {
    var response = this.client.get(WebSocketGateway.PATH, server.tokenFor(Role.VIEWER));
    assertThat(response.status()).isEqualTo(426);
    assertThat(response.errorCode()).isEqualTo("UPGRADE_REQUIRED");
  }

  @Test
  void a_subscribe_is_acknowledged_once_its_replay_is_done() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    long id = this.client.post("/api/v1/executions", token, Map.of("name", "acked", "steps",
        List.of(Map.of("name", "one", "type", "noop")))).data().path("id").asLong();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        this.client.get("/api/v1/executions/" + id, token).data().path("status").asText().equals("completed"));
    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    long lastReplayed = 0;
    JsonNode message;
    while (!(message = client.next()).path("type").asText().equals("subscribed")) lastReplayed = message.path("id").asLong();
    assertThat(lastReplayed).as("the replay came first").isPositive();
    assertThat(message.path("topics")).extracting(JsonNode::asText).containsExactly("execution:" + id);
    assertThat(message.path("replayed_to").asLong()).isGreaterThanOrEqualTo(lastReplayed);
  }

  @Test
  void a_ping_is_answered_once_the_subscribes_before_it_have_taken_effect() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    long id = submit(token, "name: pinged\nsteps: [{name: one, type: noop}]");
    awaitFinished(id, token);
    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:" + id), "since", 0));
    client.send(Map.of("type", "ping"));
    List<String> types = new java.util.ArrayList<>();
    for (JsonNode m = client.next(); !m.path("type").asText().equals("pong"); m = client.next()) {
      types.add(m.path("type").asText());
    }
    assertThat(types).as("the replay and its acknowledgement come before the pong")
        .startsWith("execution.queued").contains("execution.completed").endsWith("subscribed");
  }

  @Test
  void a_subscribe_without_since_follows_from_the_moment_it_arrived_however_busy_the_socket_is() throws Exception {
    String token = server.tokenFor(Role.OPERATOR);
    // a long past for the socket to replay first, so that it is still busy when the next subscribe comes
    List<Map<String, Object>> plans = java.util.stream.IntStream.range(0, 1000).<Map<String, Object>>mapToObj(i ->
        Map.of("name", "past-" + i, "steps", List.of(Map.of("name", "a", "type", "noop")))).toList();
    List<Long> pastIds = new java.util.ArrayList<>();
    for (int batch = 0; batch < 2; batch++) {
      var past = this.client.post("/api/v1/executions", token, Map.of("plans", plans));
      assertThat(past.status()).as(past.text()).isEqualTo(202);
      past.data().path("execution_ids").forEach(id -> pastIds.add(id.asLong()));
    }
    long gated = submit(token, "name: arrived\nsteps: [{name: gate, type: approval}, {name: after, type: noop}]");
    String unfinished = "SELECT COUNT(*) FROM executions WHERE id BETWEEN " + pastIds.getFirst() + " AND "
        + pastIds.getLast() + " AND finished_at IS NULL";
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        Rows.snapshot(server.database(), List.of(unfinished)).getFirst().getFirst().getFirst().equals("0"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.client
        .get("/api/v1/executions/" + gated, token).data().path("status").asText().equals("waiting_approval"));

    WsClient client = connect(builder().header("Authorization", "Bearer " + token));
    client.next();
    client.send(Map.of("type", "subscribe", "topics", List.of("executions"), "since", 0));
    client.send(Map.of("type", "subscribe", "topics", List.of("execution:" + gated)));
    // handled after the subscribe above arrived: what the decision commits comes after it
    client.send(Map.of("type", "approve", "execution_id", gated, "step_number", 1, "approve", true));
    awaitFinished(gated, token);
    client.send(Map.of("type", "ping"));
    List<JsonNode> ownSteps = new java.util.ArrayList<>();
    for (JsonNode m = client.next(); !m.path("type").asText().equals("pong"); m = client.next()) {
      if (m.path("topic").asText().equals("execution:" + gated) && m.path("type").asText().startsWith("step.")) {
        ownSteps.add(m);
      }
    }
    assertThat(ownSteps).as("the steps' events committed after the subscribe arrived")
        .anyMatch(m -> m.path("type").asText().equals("step.completed")
            && m.path("data").path("step_number").asInt() == 2);
  }
}
