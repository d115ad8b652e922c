package dev.stepwise.chat;

import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The thread and message store. A thread is only ever read through its owner. Thread-safe. */
public final class Threads {
  private static final String THREAD = """
      SELECT t.id, t.user_id, t.title, t.agent, t.created_at, t.updated_at,
        m.id AS m_id, m.role AS m_role, m.content AS m_content, m.run_id AS m_run_id, m.created_at AS m_created_at
      FROM threads t LEFT JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE thread_id = t.id)""";
  private static final String MESSAGE = "SELECT id, thread_id, role, content, run_id, created_at FROM messages";

  private final Database db;
  private final Clock clock;

  public Threads(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public ChatThread create(long userId, String title, String agent) {
    long id = db.jdbi().withHandle(h -> insert(h, userId, title, agent, clock.instant()));
    return find(userId, id).orElseThrow();
  }

  /** A new thread, in the caller's transaction; its id. */
  static long insert(org.jdbi.v3.core.Handle h, long userId, String title, String agent, java.time.Instant now) {
    return h.createQuery("""
            INSERT INTO threads (user_id, title, agent, created_at, updated_at)
            VALUES (:user, :title, :agent, :now, :now) RETURNING id""")
        .bind("user", userId).bind("title", title).bind("agent", agent).bind("now", now.toEpochMilli())
        .mapTo(Long.class).one();
  }

  /** The thread, if it exists and belongs to {@code userId}. */
  public Optional<ChatThread> find(long userId, long id) {
    return db.reads().withHandle(h -> h.createQuery(THREAD + " WHERE t.id = :id AND t.user_id = :user")
        .bind("id", id).bind("user", userId).map(Threads::thread).findOne());
  }

  /** The user's threads, most recently active first; the cursor is the last thread's id. */
  public Page<ChatThread> list(long userId, long beforeId, int limit) {
    List<ChatThread> rows = db.reads().withHandle(h -> h.createQuery(THREAD + " WHERE t.user_id = :user"
            + (beforeId > 0 ? " AND (t.updated_at, t.id) < ((SELECT updated_at FROM threads WHERE id = :before), :before)"
                : "")
            + " ORDER BY t.updated_at DESC, t.id DESC LIMIT :limit")
        .bind("user", userId).bind("before", beforeId).bind("limit", limit + 1).map(Threads::thread).list());
    return Page.of(rows, limit, ChatThread::id);
  }

  /** A thread's messages, oldest first, after {@code afterId}. */
  public Page<Message> messages(long threadId, long afterId, int limit) {
    List<Message> rows = db.reads().withHandle(h -> h.createQuery(MESSAGE
            + " WHERE thread_id = :thread AND id > :after ORDER BY id LIMIT :limit")
        .bind("thread", threadId).bind("after", afterId).bind("limit", limit + 1).map(Threads::message).list());
    return Page.of(rows, limit, Message::id);
  }

  /** Adds a message to a thread and marks the thread active; in the caller's transaction. */
  public static Message append(org.jdbi.v3.core.Handle h, long threadId, String role, String content, Long runId,
      java.time.Instant now) {
    long id = h.createQuery("""
            INSERT INTO messages (thread_id, role, content, run_id, created_at)
            VALUES (:thread, :role, :content, :run, :now) RETURNING id""")
        .bind("thread", threadId).bind("role", role).bind("content", content).bind("run", runId)
        .bind("now", now.toEpochMilli()).mapTo(Long.class).one();
    h.createUpdate("UPDATE threads SET updated_at = :now WHERE id = :thread")
        .bind("now", now.toEpochMilli()).bind("thread", threadId).execute();
    return new Message(id, threadId, role, content, runId, now);
  }

  /** The thread's newest {@code limit} messages written before run {@code runId}, oldest first: a run's history. */
  public List<Message> historyBefore(long threadId, long runId, int limit) {
    List<Message> newestFirst = db.reads().withHandle(h -> h.createQuery(MESSAGE
            + " WHERE thread_id = :thread AND (run_id IS NULL OR run_id < :run) ORDER BY id DESC LIMIT :limit")
        .bind("thread", threadId).bind("run", runId).bind("limit", limit).map(Threads::message).list());
    return newestFirst.reversed();
  }

  private static ChatThread thread(ResultSet rs, StatementContext ctx) throws SQLException {
    Long messageId = Columns.longValue(rs, "m_id");
    Message last = messageId == null ? null : new Message(messageId, rs.getLong("id"), rs.getString("m_role"),
        rs.getString("m_content"), Columns.longValue(rs, "m_run_id"), Columns.instant(rs, "m_created_at"));
    return new ChatThread(rs.getLong("id"), rs.getLong("user_id"), rs.getString("title"), rs.getString("agent"),
        Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"), last);
  }

  private static Message message(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Message(rs.getLong("id"), rs.getLong("thread_id"), rs.getString("role"), rs.getString("content"),
        Columns.longValue(rs, "run_id"), Columns.instant(rs, "created_at"));
  }
}
