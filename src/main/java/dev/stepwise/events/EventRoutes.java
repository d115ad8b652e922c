package dev.stepwise.events;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;

/** {@code GET /api/v1/events/stream?topics=a,b}: the event log over SSE. */
public final class EventRoutes {
  private final SseStreams streams;

  public EventRoutes(SseStreams streams) {
    this.streams = streams;
  }

  public void register(Api api) {
    api.stream(Api.V1 + "/events/stream", Access.requiresWithQueryToken(Permission.STATUS_READ),
        "Server-sent events of the given topics; resumes after Last-Event-ID or ?since=", ctx -> {
          TopicFilter filter = TopicFilter.fromQuery(ctx.queryParam("topics"));
          long since = SseStreams.resumePoint(ctx);
          streams.serve(ctx, filter, since);
        });
  }
}
