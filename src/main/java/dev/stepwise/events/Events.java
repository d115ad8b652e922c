package dev.stepwise.events;

import dev.stepwise.store.Database;
import java.time.Instant;
import java.util.List;

/** Reads the durable event log. Thread-safe. */
public final class Events {
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
      return query.map((rs, ctx) -> new Event(rs.getLong("id"), rs.getString("type"), rs.getString("topic"),
          Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("data"))).list();
    });
  }

  public long maxId() {
    return db.reads().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one());
  }
}
