package dev.stepwise.events;

import dev.stepwise.web.ApiError;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/**
 * Serves events over SSE (API.md §8): replays the log after {@code Last-Event-ID} (or
 * {@code ?since=}), then streams live events, with no gap and no duplicate. Sends a keep-alive
 * comment every 15 s, and closes a subscriber that falls too far behind (it resumes from its last
 * id). Thread-safe.
 */
public final class SseStreams {
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final EventBus bus;
  private final Events events;
  private final Duration keepAlive;

  public SseStreams(EventBus bus, Events events) {
    this(bus, events, KEEP_ALIVE);
  }

  public SseStreams(EventBus bus, Events events, Duration keepAlive) {
    this.bus = bus;
    this.events = events;
    this.keepAlive = keepAlive;
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

  /** Opens the response and streams until the client goes away. Blocks the calling (virtual) thread. */
  public void serve(Context ctx, TopicFilter filter, long since) {
    try {
      stream(SseConnection.open(ctx), filter, since);
    } catch (java.io.IOException e) {
      // the client left before the stream opened
    }
  }

  void stream(SseConnection client, TopicFilter filter, long since) {
    try (Subscription subscription = bus.subscribe(filter)) {
      long cursor = since >= 0 ? replay(client, filter, since) : events.maxId();
      client.comment("stream open at event " + cursor);
      while (!client.closed() && !subscription.ended()) {
        Event event = subscription.poll(keepAlive);
        if (subscription.ended()) return;
        if (subscription.overflowed()) {
          client.event("overflow", "{\"resume_after\":" + cursor + "}", null);
          return;
        }
        if (event == null) {
          client.comment("keep-alive");
        } else if (event.id() > cursor) {
          client.event(event.type(), event.toJson(), Long.toString(event.id()));
          cursor = event.id();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long replay(SseConnection client, TopicFilter filter, long since) {
    return events.replay(since, Long.MAX_VALUE, filter, event -> {
      client.event(event.type(), event.toJson(), Long.toString(event.id()));
      return !client.closed();
    });
  }
}
