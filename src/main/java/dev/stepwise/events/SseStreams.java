package dev.stepwise.events;

import dev.stepwise.auth.Authenticator;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.Permission;
import dev.stepwise.auth.TokenWatch;
import dev.stepwise.auth.TokenWatches;
import dev.stepwise.store.StoreUnavailable;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/**
 * Serves events over SSE (API.md §8): replays the log after {@code Last-Event-ID} (or
 * {@code ?since=}), then streams live events, with no gap and no duplicate. Sends a keep-alive
 * comment every 15 s, and closes a subscriber that falls too far behind (it resumes from its last
 * id). A stream ends, with an {@code error} event saying why, when its token expires, when this
 * node revokes the token or takes {@code status:read} from its user, within
 * {@link TokenWatch#RECHECK} of that happening on another node (the rule of the WebSocket), or when
 * the database goes away. Thread-safe.
 */
public final class SseStreams {
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final EventBus bus;
  private final Events events;
  private final Authenticator authenticator;
  private final TokenWatches watches;
  private final Clock clock;

  public SseStreams(EventBus bus, Events events, Authenticator authenticator, TokenWatches watches, Clock clock) {
    this.bus = bus;
    this.events = events;
    this.authenticator = authenticator;
    this.watches = watches;
    this.clock = clock;
  }

  /** The resume point a client asked for: {@code Last-Event-ID} wins over {@code since}; -1 for none. */
  public static long resumePoint(Context ctx) {
    String text = ctx.header("Last-Event-ID");
    String field = "Last-Event-ID";
    if (text == null || text.isBlank()) {
      text = ctx.queryParam("since");
      field = "since";
    }
    if (text == null || text.isBlank()) return -1;
    try {
      long id = Long.parseLong(text.trim());
      if (id >= 0) return id;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.validation(field, "must be an event id (a whole number of 0 or more)");
  }

  /**
   * Opens the response and streams until the client goes away or may no longer read. Blocks the
   * calling (virtual) thread. The caller's route has authenticated the request.
   */
  public void serve(Context ctx, TopicFilter filter, long since) {
    var watch = new TokenWatch(authenticator, AuthFilter.token(ctx), AuthFilter.caller(ctx), clock);
    // subscribed and watched before the client sees the stream open: nothing committed and no
    // revocation made from then on is missed
    try (Subscription subscription = bus.subscribe(filter)) {
      watches.open(watch, subscription::wake);
      SseConnection client;
      try {
        client = SseConnection.open(ctx);
      } catch (java.io.IOException e) {
        return; // the client left before the stream opened
      }
      stream(client, subscription, filter, since, watch);
    } finally {
      watches.close(watch);
    }
  }

  private void stream(SseConnection client, Subscription subscription, TopicFilter filter, long since,
      TokenWatch watch) {
    long cursor = since;
    try {
      if (since >= 0) {
        var replayed = replay(client, filter, since, watch);
        if (replayed.refused()) return;
        cursor = replayed.cursor();
      } else {
        cursor = events.maxId();
      }
      client.comment("stream open at event " + cursor);
      while (!client.closed() && !subscription.ended()) {
        Duration wait = watch.untilDue().compareTo(KEEP_ALIVE) < 0 ? watch.untilDue() : KEEP_ALIVE;
        Event event = subscription.poll(wait.isZero() ? Duration.ofMillis(1) : wait);
        if (subscription.ended()) return;
        if (subscription.overflowed()) {
          client.event("overflow", "{\"resume_after\":" + cursor + "}", null);
          return;
        }
        if (!stillAllowed(client, watch, cursor)) return; // checked whether or not events keep coming
        if (event == null) {
          client.comment("keep-alive");
        } else if (event.id() > cursor) {
          client.event(event.type(), event.toJson(), Long.toString(event.id()));
          cursor = event.id();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StoreUnavailable e) {
      error(client, "UNAVAILABLE", "the database cannot be used right now: " + e.reason()
          + "; reconnect with Last-Event-ID to resume", cursor);
    }
  }

  /**
   * Checks the token when a check is due (cheap otherwise); a refusal ends the stream with an
   * {@code error} event. While the database cannot tell, the stream goes on as it was.
   */
  private static boolean stillAllowed(SseConnection client, TokenWatch watch, long cursor) {
    try {
      Caller caller = watch.checkIfDue();
      if (caller.can(Permission.STATUS_READ)) return true;
      error(client, "FORBIDDEN", "this stream needs the permission 'status:read', which your role no longer has", cursor);
    } catch (ApiError e) {
      error(client, e.code(), e.getMessage(), cursor);
    } catch (StoreUnavailable e) {
      return true;
    }
    return false;
  }

  private static void error(SseConnection client, String code, String message, long resumeAfter) {
    var data = new java.util.LinkedHashMap<String, Object>();
    data.put("code", code);
    data.put("message", message);
    data.put("resume_after", resumeAfter);
    client.event("error", new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8), null);
  }

  /** Where a replay got to, and whether it stopped because the token no longer holds. */
  private record Replayed(long cursor, boolean refused) {}

  /** Sends the logged events after {@code since}; a check that falls due meanwhile is made between two events. */
  private Replayed replay(SseConnection client, TopicFilter filter, long since, TokenWatch watch) {
    long[] sent = {since};
    boolean[] refused = {false};
    events.replay(since, Long.MAX_VALUE, filter, event -> {
      if (watch.untilDue().isZero() && !stillAllowed(client, watch, sent[0])) {
        refused[0] = true;
        return false;
      }
      client.event(event.type(), event.toJson(), Long.toString(event.id()));
      sent[0] = event.id();
      return !client.closed();
    });
    return new Replayed(sent[0], refused[0]);
  }
}
