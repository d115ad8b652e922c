package dev.stepwise.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.Permission;
import dev.stepwise.auth.TokenWatch;
import dev.stepwise.auth.TokenWatches;
import dev.stepwise.events.Event;
import dev.stepwise.events.EventBus;
import dev.stepwise.events.Events;
import dev.stepwise.events.Subscription;
import dev.stepwise.events.TopicAccess;
import dev.stepwise.events.TopicFilter;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.store.StoreUnavailable;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ErrorMapper;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's socket: {@code connected} first, then the events of the topics it subscribes to
 * (replayed from the event log from {@code since}, then live, never one twice), {@code ping} and
 * approvals. One pump thread owns the socket's topics and its cursor ({@link FollowedTopics}), so
 * subscribing, unsubscribing, answering pings and delivering happen in the order the client asked
 * for them (a {@code pong} means every earlier subscribe has taken effect); a change wakes it at
 * once. A subscribe without {@code since} follows from the moment it arrived. The bus hands the
 * socket only the events of the topics it follows (with 500 sockets, an event wakes the few that
 * follow it, not all 500). The caller is authenticated again
 * for each approval and every 30 s, so a revoked token, a disabled user or a lost permission ends
 * what the socket may do; an expired token closes it. A malformed or unknown message gets an
 * {@code error} and the socket stays open; a client that falls too far behind or stops reading is
 * disconnected with the event id to resume after. Thread-safe.
 */
public final class WsConnection implements Session.Listener.AutoDemanding {
  private static final Logger log = LoggerFactory.getLogger(WsConnection.class);
  static final int MAX_TOPICS = ClientMessages.MAX_TOPICS;
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
  /** How long the pump waits for an event; it is woken at once for a subscription change or a close. */
  private static final Duration POLL = Duration.ofSeconds(15);
  /** Close codes: 1008 policy (token expired or revoked, too slow), 1011 server error, 1001 going away. */
  static final int POLICY = 1008;

  private final String id = UUID.randomUUID().toString();
  private final TokenWatch tokenWatch;
  private final TokenWatches watches;
  private final EventBus bus;
  private final Events events;
  private final ExecutionService executions;
  private final ChatService chat;
  private final TopicAccess access;
  private final Set<WsConnection> registry;
  private final ReentrantLock sending = new ReentrantLock(true);
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private volatile Caller caller;
  private volatile Session session;
  private volatile boolean open = true;
  private volatile Subscription subscription;

  /** Owned by the pump thread; made when the socket opens. */
  private FollowedTopics followed;

  WsConnection(TokenWatch tokenWatch, TokenWatches watches, EventBus bus, Events events, ExecutionService executions,
      ChatService chat, TopicAccess access, Set<WsConnection> registry) {
    this.chat = chat;
    this.access = access;
    this.caller = tokenWatch.caller();
    this.tokenWatch = tokenWatch;
    this.watches = watches;
    this.bus = bus;
    this.events = events;
    this.executions = executions;
    this.registry = registry;
  }

  @Override
  public void onWebSocketOpen(Session opened) {
    registry.add(this);
    watches.open(tokenWatch, () -> {}); // its watchdog waits on the watch itself
    this.session = opened;
    send(Map.of("type", "connected", "connection_id", id, "user_id", caller.userId()));
    // the bus subscription exists before the cursor is read: nothing committed from here on is missed
    Subscription live = bus.subscribe(TopicFilter.none());
    subscription = live;
    followed = new FollowedTopics(filter -> {
      Subscription.Followed queued = live.follow(filter);
      return live.overflowed() ? null : queued;
    }, events::replay, this::forward, events.maxId());
    Thread.ofVirtual().name("ws-" + id).start(() -> pump(subscription));
    Thread.ofVirtual().name("ws-token-" + id).start(this::watchToken);
    if (!opened.isOpen()) stop();
  }

  @Override
  public void onWebSocketText(String text) {
    JsonNode message;
    try {
      message = Json.mapper().readTree(text);
    } catch (IOException e) {
      error("BAD_REQUEST", "the message is not JSON");
      return;
    }
    if (message == null || !message.isObject() || !message.path("type").isTextual()) {
      error("BAD_REQUEST", "a message is a JSON object with a \"type\"");
      return;
    }
    try {
      switch (message.path("type").asText()) {
        case "ping" -> command(() -> send(Map.of("type", "pong")));
        case "subscribe" -> subscribe(message);
        case "unsubscribe" -> unsubscribe(message);
        case "approve" -> approve(message);
        case "start_agent" -> startAgent(message);
        default -> error("BAD_REQUEST", "unknown message type '" + message.path("type").asText()
            + "'; known: subscribe, unsubscribe, ping, approve, start_agent");
      }
    } catch (ApiError e) {
      error(e);
    } catch (StoreUnavailable e) {
      error(ErrorMapper.unavailable(e));
    } catch (RuntimeException e) {
      log.warn("websocket {}: a {} message failed", id, message.path("type").asText(), e);
      error("INTERNAL", "the message could not be handled");
    }
  }

  @Override
  public void onWebSocketClose(int status, String reason) {
    stop();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("websocket {}: {}", id, cause.toString());
  }

  private static void require(Caller caller, Permission permission) {
    if (!caller.can(permission)) throw ApiError.forbidden(permission.wireName());
  }

  private void subscribe(JsonNode message) {
    require(caller, Permission.STATUS_READ);
    var subscribe = ClientMessages.subscribe(message);
    access.check(caller, TopicFilter.parse(subscribe.topics()));
    // without since, live from now: from the last event the bus had delivered when the message came,
    // so that what commits before the pump gets to it is not missed
    long arrivedAfter = bus.lastDeliveredId();
    command(() -> addTopics(subscribe.topics(),
        subscribe.since() >= 0 ? subscribe.since() : followed.liveFrom(arrivedAfter)));
  }

  private void unsubscribe(JsonNode message) {
    List<String> unwanted = ClientMessages.topics(message);
    command(() -> followed.leave(unwanted));
  }

  /** Hands a change to the pump, which owns the topics and the cursor, and wakes it for it. */
  private void command(Runnable change) {
    commands.add(change);
    Subscription current = subscription;
    if (current != null) current.wake();
  }

  private void approve(JsonNode message) {
    Caller current = refreshCaller();
    require(current, Permission.EXECUTION_APPROVE);
    var decision = ClientMessages.approve(message);
    executions.decide(current, decision.executionId(), decision.stepNumber(), decision.approve(), decision.comment(),
        decision.callKey());
  }

  /**
   * Starts an agent run. The pump does it, so that {@code agent_run_accepted} goes out before any
   * event of the run; the socket then follows the run's thread and execution from before the run
   * was written, so nothing of it is missed.
   */
  private void startAgent(JsonNode message) {
    Caller current = refreshCaller();
    require(current, Permission.AGENT_RUN);
    var start = ClientMessages.startAgent(message);
    command(() -> {
      if (followed.size() + 2 > MAX_TOPICS) {
        error("VALIDATION_FAILED", "a socket follows at most " + MAX_TOPICS + " topics; unsubscribe first");
        return;
      }
      long before;
      ChatService.Started started;
      try {
        before = events.maxId();
        started = chat.send(current, start.threadId(), start.agent(), start.message());
      } catch (ApiError e) {
        error(e);
        return;
      } catch (RuntimeException e) {
        log.warn("websocket {}: start_agent failed", id, e);
        error("INTERNAL", "the run could not be started");
        return;
      }
      send(Map.of("type", "agent_run_accepted", "run_id", started.runId(), "thread_id", started.threadId()));
      String runTopic = "execution:" + started.runId();
      followed.followForRun(runTopic);
      addTopics(List.of("thread:" + started.threadId(), runTopic), before);
    });
  }

  /** The caller as the token and the user stand now; a refusal closes the socket. */
  private Caller refreshCaller() {
    try {
      caller = tokenWatch.checkNow();
      return caller;
    } catch (ApiError e) {
      close(POLICY, "the token is no longer valid");
      throw e;
    }
  }

  /** Follows {@code wanted} too (see {@link FollowedTopics#add}), then acknowledges it. */
  private void addTopics(List<String> wanted, long since) {
    if (followed.size() + followed.unfollowed(wanted) > MAX_TOPICS) {
      error("VALIDATION_FAILED", "a socket follows at most " + MAX_TOPICS + " topics; unsubscribe first");
      return;
    }
    long replayedTo = followed.add(wanted, since, () -> open);
    // everything of the topics up to it has been sent; what follows is live
    if (replayedTo >= 0) send(Map.of("type", "subscribed", "topics", List.copyOf(wanted), "replayed_to", replayedTo));
  }

  /**
   * The one thread that delivers: applies subscription changes in order, then forwards live
   * events. An event it took is delivered before any change, under the topics it was queued for.
   */
  private void pump(Subscription subscription) {
    try (subscription) {
      while (open && !subscription.ended()) {
        applyCommands();
        if (subscription.overflowed()) {
          slowConsumer();
          return;
        }
        Event event = subscription.poll(POLL);
        if (event != null && !followed.deliver(event)) return;
        followed.leaveEndedRuns();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("websocket {}: delivering events failed", id, e);
      long resumeAfter = followed.resumeAfter();
      error("UNAVAILABLE", "events cannot be delivered just now; reconnect and subscribe with since = " + resumeAfter,
          Map.of("resume_after", resumeAfter));
      close(1011, "events cannot be delivered just now");
    }
  }

  private void slowConsumer() {
    long resumeAfter = followed.resumeAfter();
    error("SLOW_CONSUMER", "events arrived faster than this socket took them; reconnect and subscribe with "
        + "since = " + resumeAfter, Map.of("resume_after", resumeAfter));
    disconnect();
  }

  private void applyCommands() {
    for (Runnable command; (command = commands.poll()) != null; ) command.run();
    followed.leaveEndedRuns();
  }

  private boolean forward(Event event) {
    return sendRaw(event.toJson());
  }

  /**
   * Ends the socket when its token expires, when this node revokes it, or within
   * {@link TokenWatch#RECHECK} of it being revoked elsewhere.
   */
  private void watchToken() {
    try {
      while (open) {
        tokenWatch.awaitDue(Duration.ofSeconds(1)); // a second at most, to notice the socket ending
        if (!open) return;
        if (!tokenWatch.untilDue().isZero()) continue;
        try {
          caller = tokenWatch.checkIfDue();
          if (!caller.can(Permission.STATUS_READ)) command(() -> followed.leave(followed.all()));
        } catch (TokenWatch.Expired e) {
          close(POLICY, e.getMessage());
          return;
        } catch (ApiError e) {
          close(POLICY, "the token is no longer valid");
          return;
        } catch (StoreUnavailable e) {
          // the token cannot be checked while the database is away: it is checked again once it is back
        } catch (RuntimeException e) {
          // a socket whose token cannot be checked is not kept open unchecked
          log.warn("websocket {}: cannot check its token: {}", id, e.toString());
          close(1011, "the token could not be checked; reconnect");
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An API error as the envelope gives it: code, message and the fields' details. */
  private void error(ApiError e) {
    error(e.code(), e.getMessage(), e.details().isEmpty() ? Map.of() : Map.of("details", e.details()));
  }

  private void error(String code, String message) {
    error(code, message, Map.of());
  }

  private void error(String code, String message, Map<String, Object> extra) {
    ObjectNode error = Json.mapper().createObjectNode().put("type", "error").put("code", code).put("message", message);
    extra.forEach((k, v) -> error.set(k, Json.mapper().valueToTree(v)));
    sendRaw(error.toString());
  }

  private void send(Map<String, Object> message) {
    sendRaw(new String(Json.write(message), StandardCharsets.UTF_8));
  }

  /** Sends one text frame and waits for it to go, one at a time; false when the socket is gone. */
  private boolean sendRaw(String text) {
    Session current = session;
    if (current == null || !current.isOpen()) return false;
    sending.lock();
    try {
      Callback.Completable sent = new Callback.Completable();
      current.sendText(text, sent);
      sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      // a client that does not read would hold a polite close frame behind its unread ones
      disconnect();
      return false;
    } finally {
      sending.unlock();
    }
  }

  private void close(int code, String reason) {
    Session current = session;
    if (current != null && current.isOpen()) current.close(code, reason, Callback.NOOP);
  }

  private void disconnect() {
    Session current = session;
    if (current != null) current.disconnect();
    stop();
  }

  void shutdown() {
    close(1001, "the server is stopping");
    stop();
  }

  /** The pump and the watchdog see the flag within a poll or a check and end; neither is interrupted mid-query. */
  private void stop() {
    open = false;
    registry.remove(this);
    watches.close(tokenWatch);
    Subscription current = subscription;
    if (current != null) current.wake();
  }
}
