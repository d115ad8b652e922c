package dev.stepwise.events;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;

/** {@code GET /api/v1/events/stream?topics=a,b}: the event log over SSE. */
public final class EventRoutes {
  private final SseStreams streams;
  private final TopicAccess access;

  public EventRoutes(SseStreams streams, TopicAccess access) {
    this.streams = streams;
    this.access = access;
  }

  public void register(Api api) {
    api.stream(Api.V1 + "/events/stream", Access.requiresWithQueryToken(Permission.STATUS_READ),
        "Server-sent events of the given topics; resumes after Last-Event-ID or ?since=", ctx -> {
          TopicFilter filter = TopicFilter.fromQuery(ctx.queryParam("topics"));
          access.check(dev.stepwise.web.AuthFilter.caller(ctx), filter);
          long since = SseStreams.resumePoint(ctx);
          streams.serve(ctx, filter, since);
        });
  }
}
