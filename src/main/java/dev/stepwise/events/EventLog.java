package dev.stepwise.events;

import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.web.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Runs state changes as single transactions that also append their events (the transactional
 * outbox of DESIGN.md principle 2), and signals subscribers and the dispatcher only after commit.
 *
 * <p>Event ids must appear in commit order, or a reader tailing {@code id > last} could skip an
 * event committed late with a smaller id. SQLite has one writer, so this holds. On PostgreSQL the
 * events of a transaction are inserted at its very end under a transaction-scoped advisory lock,
 * which serializes only that last moment: ids are then handed out in commit order, and since no
 * row lock is taken after the advisory lock, it cannot deadlock. Thread-safe.
 */
public final class EventLog {
  private static final long APPEND_LOCK = 0x5731_5e9L;

  private final Database db;
  private final Clock clock;
  private final Signals signals;
  private final Map<String, List<Reaction>> reactions = new java.util.concurrent.ConcurrentHashMap<>();

  /** What follows from an event in the transaction that appends it. */
  @FunctionalInterface
  public interface Reaction {
    void react(Tx tx, String topic, Map<String, ?> data);
  }

  /**
   * Runs {@code reaction} inside every transaction that appends an event of {@code type}, so that
   * what follows from it (a run's closing event when its execution ends, say) commits with it, by
   * whichever path the event was appended. Register at start-up.
   */
  public void react(String type, Reaction reaction) {
    reactions.computeIfAbsent(type, t -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(reaction);
  }

  public EventLog(Database db, Clock clock, Signals signals) {
    this.db = db;
    this.clock = clock;
    this.signals = signals;
  }

  /** The work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Tx tx);
  }

  /** Runs {@code work} in one transaction; its events and wake-ups take effect at commit. */
  public <T> T transact(Work<T> work) {
    var tx = new Tx();
    T result = db.jdbi().inTransaction(handle -> {
      tx.handle = handle;
      T value = work.run(tx);
      tx.flush();
      return value;
    });
    if (!tx.pending.isEmpty()) signals.fire(Signals.Channel.EVENTS, "");
    tx.wakes.forEach((channel, payloads) -> payloads.forEach(p -> signals.fire(channel, p)));
    return result;
  }

  public Clock clock() {
    return clock;
  }

  /** One transaction in progress. Not thread-safe. */
  public final class Tx {
    private Handle handle;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Signals.Channel, List<String>> wakes = new EnumMap<>(Signals.Channel.class);

    private record Pending(String type, String topic, String data) {}

    public Handle handle() {
      return handle;
    }

    public Instant now() {
      return clock.instant();
    }

    /** Appends an event, written when the transaction's work is done and visible on commit. */
    public void append(String type, String topic, Map<String, ?> data) {
      pending.add(new Pending(type, topic, new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8)));
      for (Reaction reaction : reactions.getOrDefault(type, List.of())) reaction.react(this, topic, data);
    }

    /** Signals {@code channel} on every node once this transaction commits. */
    public void wake(Signals.Channel channel, String payload) {
      wakes.computeIfAbsent(channel, c -> new ArrayList<>()).add(payload);
    }

    private void flush() {
      if (pending.isEmpty() && wakes.isEmpty()) return;
      if (!pending.isEmpty()) {
        if (db.dialect() == Dialect.POSTGRESQL) {
          handle.createQuery("SELECT pg_advisory_xact_lock(:key)").bind("key", APPEND_LOCK).mapTo(String.class).findOne();
        }
        Instant at = clock.instant();
        var sql = new StringBuilder("INSERT INTO events (type, topic, created_at, data) VALUES ");
        for (int i = 0; i < pending.size(); i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
        var insert = handle.createUpdate(sql.toString());
        int position = 0;
        for (Pending event : pending) {
          insert.bind(position++, event.type()).bind(position++, event.topic())
              .bind(position++, at.toEpochMilli()).bind(position++, event.data());
        }
        insert.execute();
        signals.notifyPeersOnCommit(handle, Signals.Channel.EVENTS, "");
      }
      wakes.forEach((channel, payloads) -> payloads.forEach(p -> signals.notifyPeersOnCommit(handle, channel, p)));
    }
  }
}
