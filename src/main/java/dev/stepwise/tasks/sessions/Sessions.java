package dev.stepwise.tasks.sessions;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The store of task sessions and their activity. Changes run in the caller's transaction. Thread-safe. */
public final class Sessions {
  private static final String COLUMNS = "id, task_id, execution_id, agent, agent_session_id, status, error, started_at, "
      + "finished_at";
  private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

  private final Database db;

  public Sessions(Database db) {
    this.db = db;
  }

  /** A new running session of task {@code taskId}, run by execution {@code executionId}; returns its id. */
  public static long insert(Handle h, long taskId, long executionId, String agent, Instant now) {
    return h.createQuery("""
            INSERT INTO task_sessions (task_id, execution_id, agent, status, started_at)
            VALUES (:task, :execution, :agent, 'running', :now) RETURNING id""")
        .bind("task", taskId).bind("execution", executionId).bind("agent", agent).bind("now", now.toEpochMilli())
        .mapTo(Long.class).one();
  }

  public Optional<Session> find(long id) {
    return db.reads().withHandle(h -> find(h, id));
  }

  public static Optional<Session> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM task_sessions WHERE id = :id").bind("id", id)
        .map(Sessions::map).findOne();
  }

  /** The session an execution runs, if it runs one. */
  public static Optional<Session> ofExecution(Handle h, long executionId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM task_sessions WHERE execution_id = :id").bind("id", executionId)
        .map(Sessions::map).findOne();
  }

  public Optional<Session> ofExecution(long executionId) {
    return db.reads().withHandle(h -> ofExecution(h, executionId));
  }

  /** Ends a running session; returns whether it was still running. */
  static boolean finish(Handle h, long id, String status, String error, Instant now) {
    return h.createUpdate("""
            UPDATE task_sessions SET status = :status, error = :error, finished_at = :now
            WHERE id = :id AND status = 'running'""")
        .bind("status", status).bind("error", error).bind("now", now.toEpochMilli()).bind("id", id).execute() == 1;
  }

  /** Remembers the agent's own session, so that a later phase (or a restarted server) goes on in it. */
  public static void recordAgentSession(Handle h, long id, String agentSessionId) {
    h.createUpdate("UPDATE task_sessions SET agent_session_id = :agent WHERE id = :id")
        .bind("agent", agentSessionId).bind("id", id).execute();
  }

  /** Remembers that step {@code stepNumber}'s prompt went to the agent, so that running the step again does not repeat it. */
  public static void recordPrompt(Handle h, long id, int stepNumber) {
    h.createUpdate("UPDATE task_sessions SET prompted_step = :step WHERE id = :id")
        .bind("step", stepNumber).bind("id", id).execute();
  }

  /** The step whose prompt last went to the agent, if one did. */
  public Optional<Integer> promptedStep(long id) {
    return db.reads().withHandle(h -> h.createQuery("SELECT prompted_step FROM task_sessions WHERE id = :id")
        .bind("id", id).mapTo(Integer.class).findOne());
  }

  /** Stores one activity entry under the session's next number, which it returns. */
  static long appendActivity(Handle h, long sessionId, Instant at, ActivityKind kind, String text, String tool,
      Map<String, Object> data) {
    long seq = h.createQuery("UPDATE task_sessions SET last_seq = last_seq + 1 WHERE id = :id RETURNING last_seq")
        .bind("id", sessionId).mapTo(Long.class).one();
    h.createUpdate("""
            INSERT INTO session_activity (session_id, seq, at, kind, text, tool, data)
            VALUES (:session, :seq, :at, :kind, :text, :tool, :data)""")
        .bind("session", sessionId).bind("seq", seq).bind("at", at.toEpochMilli()).bind("kind", kind.wireName())
        .bind("text", text).bind("tool", tool)
        .bind("data", data == null ? null : new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8))
        .execute();
    return seq;
  }

  /** The session's activity after entry {@code after}, in order, at most {@code limit} entries. */
  public List<Activity> activity(long sessionId, long after, int limit) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT seq, at, kind, text, tool, data FROM session_activity
            WHERE session_id = :session AND seq > :after ORDER BY seq LIMIT :limit""")
        .bind("session", sessionId).bind("after", after).bind("limit", limit)
        .map(Sessions::activity).list());
  }

  /** The session's newest {@code limit} entries, in order. */
  public List<Activity> latestActivity(long sessionId, int limit) {
    List<Activity> newestFirst = db.reads().withHandle(h -> h.createQuery("""
            SELECT seq, at, kind, text, tool, data FROM session_activity
            WHERE session_id = :session ORDER BY seq DESC LIMIT :limit""")
        .bind("session", sessionId).bind("limit", limit).map(Sessions::activity).list());
    return newestFirst.reversed();
  }

  private static Session map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Session(rs.getLong("id"), rs.getLong("task_id"), rs.getLong("execution_id"), rs.getString("agent"),
        rs.getString("agent_session_id"), rs.getString("status"), rs.getString("error"),
        Columns.instant(rs, "started_at"), Columns.instant(rs, "finished_at"));
  }

  private static Activity activity(ResultSet rs, StatementContext ctx) throws SQLException {
    String data = rs.getString("data");
    Map<String, Object> parsed;
    try {
      parsed = data == null ? null : Json.mapper().readValue(data, DATA);
    } catch (java.io.IOException e) {
      throw new SQLException("session activity data is not JSON", e);
    }
    String kind = rs.getString("kind");
    return new Activity(rs.getLong("seq"), Columns.instant(rs, "at"),
        ActivityKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), rs.getString("text"), rs.getString("tool"),
        parsed);
  }
}
