package dev.stepwise.events;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;

/** {@code GET /api/v1/events/stream?topics=a,b}: the event log over SSE. */
public final class EventRoutes {
  private final SseStreams streams;
  private final java.util.function.BiPredicate<Long, Long> ownsThread;

  /** @param ownsThread whether a user (first) owns a thread (second): only owners follow a thread's events */
  public EventRoutes(SseStreams streams, java.util.function.BiPredicate<Long, Long> ownsThread) {
    this.streams = streams;
    this.ownsThread = ownsThread;
  }

  public void register(Api api) {
    api.stream(Api.V1 + "/events/stream", Access.requiresWithQueryToken(Permission.STATUS_READ),
        "Server-sent events of the given topics; resumes after Last-Event-ID or ?since=", ctx -> {
          TopicFilter filter = TopicFilter.fromQuery(ctx.queryParam("topics"));
          long user = dev.stepwise.web.AuthFilter.caller(ctx).userId();
          for (long thread : filter.threadIds()) {
            if (!ownsThread.test(user, thread)) throw dev.stepwise.web.ApiError.notFound("you have no thread with id " + thread);
          }
          long since = SseStreams.resumePoint(ctx);
          streams.serve(ctx, filter, since);
        });
  }
}
