package dev.stepwise.tasks.sessions;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.PathParams;
import dev.stepwise.web.QueryParams;
import io.javalin.http.Context;
import java.util.LinkedHashMap;

/** The sessions API (API.md §6): a task run's session and its activity, populated while it runs. */
public final class SessionRoutes {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 2000;

  private final Sessions sessions;

  public SessionRoutes(Sessions sessions) {
    this.sessions = sessions;
  }

  public void register(Api api) {
    String path = Api.V1 + "/sessions/{id}";
    Access read = Access.requires(Permission.TEST_READ);
    api.get(path, read, "A task run's session", ctx -> ApiResponse.ok(ctx, session(ctx)));
    api.get(path + "/activity", read, "What happened in the session, in order; ?after=<seq>&limit=", this::activity);
  }

  private Session session(Context ctx) {
    long id = PathParams.id(ctx, "id");
    return sessions.find(id).orElseThrow(() -> ApiError.notFound("there is no session with id " + id));
  }

  private void activity(Context ctx) {
    Session session = session(ctx);
    long after = QueryParams.number(ctx, "after", 0, Long.MAX_VALUE, 0);
    int limit = (int) QueryParams.number(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    var data = new LinkedHashMap<String, Object>();
    data.put("session_id", session.sessionId());
    data.put("status", session.status());
    data.put("activity", sessions.activity(session.sessionId(), after, limit));
    ApiResponse.ok(ctx, data);
  }
}
