package dev.stepwise.tasks.sessions;

import dev.stepwise.events.EventLog;
import dev.stepwise.tasks.TaskEvents;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what happens in a session: its start, each activity entry and its end, stored and
 * reported ({@code session.started}, {@code session.activity}, {@code session.completed}, API.md §6)
 * in the caller's transaction, each event on the session's topic and on its task's. The one place
 * that writes session activity, whichever agent backend runs. Thread-safe (stateless).
 */
public final class SessionLog {
  /** How much of an entry's text is kept; the rest of a long output is in the step log. */
  static final int MAX_TEXT = 64 * 1024;
  /** How much of an entry's text its event carries. */
  static final int MAX_EVENT_TEXT = 16 * 1024;

  private SessionLog() {}

  public static void started(EventLog.Tx tx, Session session) {
    Map<String, Object> data = data(session);
    data.put("execution_id", session.executionId());
    data.put("agent", session.agent());
    both(tx, "session.started", session, data);
  }

  /** Stores and reports one entry; returns its number. */
  public static long record(EventLog.Tx tx, Session session, ActivityKind kind, String text, String tool,
      Map<String, Object> details) {
    String kept = cut(text, MAX_TEXT);
    long seq = Sessions.appendActivity(tx.handle(), session.sessionId(), tx.now(), kind, kept, tool, details);
    Map<String, Object> data = data(session);
    data.put("seq", seq);
    data.put("at", tx.now().toString());
    data.put("kind", kind.wireName());
    data.put("text", cut(kept, MAX_EVENT_TEXT));
    if (tool != null) data.put("tool", tool);
    if (details != null) data.put("data", details);
    both(tx, "session.activity", session, data);
    return seq;
  }

  /** Ends a running session; does nothing to one that has ended. */
  public static void completed(EventLog.Tx tx, Session session, String status, String error) {
    if (!Sessions.finish(tx.handle(), session.sessionId(), status, error, tx.now())) return;
    Map<String, Object> data = data(session);
    data.put("status", status);
    if (error != null) data.put("error", error);
    both(tx, "session.completed", session, data);
  }

  private static void both(EventLog.Tx tx, String type, Session session, Map<String, Object> data) {
    tx.append(type, session.topic(), data);
    tx.append(type, TaskEvents.topic(session.taskId()), data);
  }

  private static Map<String, Object> data(Session session) {
    var data = new LinkedHashMap<String, Object>();
    data.put("session_id", session.sessionId());
    data.put("task_id", session.taskId());
    return data;
  }

  static String cut(String text, int max) {
    if (text == null || text.length() <= max) return text;
    return text.substring(0, max) + "\n[cut: " + (text.length() - max) + " more characters]";
  }
}
