package dev.stepwise.events;

import dev.stepwise.store.Database;
import java.time.Instant;
import java.util.List;

/** Reads the durable event log. Thread-safe. */
public final class Events {
  private static final int REPLAY_PAGE = 500;

  private final Database db;

  public Events(Database db) {
    this.db = db;
  }

  /** Up to {@code limit} events after {@code afterId} that match {@code filter}, in id order. */
  public List<Event> after(long afterId, TopicFilter filter, int limit) {
    TopicFilter.Sql sql = filter.sql();
    return db.reads().withHandle(h -> {
      var query = h.createQuery("SELECT id, type, topic, created_at, data FROM events WHERE id > ? AND "
          + sql.condition() + " ORDER BY id LIMIT ?");
      int position = 0;
      query.bind(position++, afterId);
      for (String parameter : sql.parameters()) query.bind(position++, parameter);
      query.bind(position, limit);
      return query.map(Events::map).list();
    });
  }

  /**
   * The newest {@code limit} events that match {@code filter}, leaving out those of {@code skippedType}
   * (or none), in id order: what a page shows of a long history.
   */
  public List<Event> latest(TopicFilter filter, String skippedType, int limit) {
    TopicFilter.Sql sql = filter.sql();
    List<Event> newestFirst = db.reads().withHandle(h -> {
      var query = h.createQuery("SELECT id, type, topic, created_at, data FROM events WHERE " + sql.condition()
          + (skippedType == null ? "" : " AND type <> ?") + " ORDER BY id DESC LIMIT ?");
      int position = 0;
      for (String parameter : sql.parameters()) query.bind(position++, parameter);
      if (skippedType != null) query.bind(position++, skippedType);
      query.bind(position, limit);
      return query.map(Events::map).list();
    });
    return newestFirst.reversed();
  }

  private static Event map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Event(rs.getLong("id"), rs.getString("type"), rs.getString("topic"),
        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("data"));
  }

  /**
   * Hands the logged events after {@code afterId} that match {@code filter}, up to and including
   * {@code upToId}, to {@code sink} in id order, a page at a time, until the sink returns false.
   * What SSE and WebSocket subscribers replay before they go live.
   *
   * @return the id of the last event handed over, or {@code afterId} when there was none
   */
  public long replay(long afterId, long upToId, TopicFilter filter, java.util.function.Predicate<Event> sink) {
    long cursor = afterId;
    while (true) {
      List<Event> page = after(cursor, filter, REPLAY_PAGE);
      for (Event event : page) {
        if (event.id() > upToId || !sink.test(event)) return cursor;
        cursor = event.id();
      }
      if (page.size() < REPLAY_PAGE) return cursor;
    }
  }

  public long maxId() {
    return db.reads().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one());
  }
}
