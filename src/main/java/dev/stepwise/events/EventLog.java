package dev.stepwise.events;

import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.store.KeptStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
public final class EventLog implements AutoCloseable {
  private static final long APPEND_LOCK = 0x5731_5e9L;
  private static final String INSERT_EVENT = "INSERT INTO events (type, topic, created_at, data) VALUES (?, ?, ?, ?)";

  private final Database db;
  private final Clock clock;
  private final Signals signals;
  private GroupCommit groupCommit;
  private boolean closed;
  private final Map<String, List<Reaction>> reactions = new java.util.concurrent.ConcurrentHashMap<>();
  /** Whom this node's committed events are handed to; by default they only wake local listeners. */
  private volatile Consumer<List<Event>> fanOut;

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
    this.fanOut = committed -> signals.fire(Signals.Channel.EVENTS, "");
  }

  /**
   * Hands every transaction's events, with their ids, to {@code sink} once it committed, in place of
   * the local wake-up: this node's {@link EventBus} then need not read back what it just wrote.
   * Set at start-up.
   */
  public void fanOutTo(Consumer<List<Event>> sink) {
    this.fanOut = sink;
  }

  /** The work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Tx tx);
  }

  /** Runs {@code work} in one transaction; its events and wake-ups take effect at commit. */
  public <T> T transact(Work<T> work) {
    var tx = new Tx();
    var committed = new ArrayList<Event>();
    T result = db.jdbi().inTransaction(handle -> {
      tx.handle = handle;
      T value = work.run(tx);
      committed.addAll(flush(handle, List.of(tx)));
      return value;
    });
    afterCommit(List.of(tx), committed);
    return result;
  }

  /**
   * Runs {@code work} in a transaction it may share with the work of other threads handed in at
   * about the same moment ({@link GroupCommit}); returns once that transaction committed. For the
   * engine's transitions, which many executions make at once. {@code work} must have no effect
   * outside its transaction: when another work of the group fails it runs again, alone.
   */
  public <T> T transactShared(Work<T> work) {
    GroupCommit group = groupCommit();
    return group == null ? transact(work) : group.transact(work);
  }

  /** The group commit, started on first use; none once closed. */
  private synchronized GroupCommit groupCommit() {
    if (groupCommit == null && !closed) groupCommit = new GroupCommit(this);
    return groupCommit;
  }

  /** Commits the shared work handed in so far; later work commits alone. */
  @Override
  public synchronized void close() {
    closed = true;
    if (groupCommit != null) groupCommit.close();
  }

  /**
   * Runs every work of {@code works} in one shared transaction, in order, each with its own
   * {@link Tx} (its own events and wake-ups), and returns their results. When one throws, the whole
   * transaction rolls back and its exception is thrown.
   */
  List<Object> transactAll(List<? extends Work<?>> works) {
    List<Tx> txs = new ArrayList<>(works.size());
    var committed = new ArrayList<Event>();
    List<Object> results = db.jdbi().inTransaction(handle -> {
      List<Object> values = new ArrayList<>(works.size());
      for (Work<?> work : works) {
        var tx = new Tx();
        tx.handle = handle;
        txs.add(tx);
        values.add(work.run(tx));
      }
      committed.addAll(flush(handle, txs));
      return values;
    });
    afterCommit(txs, committed);
    return results;
  }

  /**
   * Writes the events of {@code txs} and asks peers to be woken, as the last statements of the
   * transaction. On PostgreSQL under the append lock, which orders ids by commit (see above): taken
   * once however many transitions share the transaction. Returns the events as they will be read
   * back, with their ids.
   */
  private List<Event> flush(Handle handle, List<Tx> txs) {
    runDeferred(handle, txs);
    List<NewEvent> pending = new ArrayList<>();
    var wakes = new java.util.LinkedHashSet<Map.Entry<Signals.Channel, String>>();
    for (Tx tx : txs) {
      pending.addAll(tx.pending);
      tx.wakes.forEach((channel, payloads) -> payloads.forEach(p -> wakes.add(Map.entry(channel, p))));
    }
    List<Event> written = List.of();
    if (!pending.isEmpty()) {
      if (db.dialect() == Dialect.POSTGRESQL) lockAppends(handle);
      long at = clock.instant().toEpochMilli();
      insert(handle, pending, at);
      written = withIds(pending, lastId(handle), at);
    }
    wakes.forEach(wake -> signals.notifyPeersOnCommit(handle, wake.getKey(), wake.getValue()));
    return written;
  }

  /**
   * On PostgreSQL, takes the append lock until the transaction ends (see above). Whatever inserts
   * events takes it first: ids then follow commit order, and a transaction's own are consecutive.
   */
  public static void lockAppends(Handle handle) {
    handle.createQuery("SELECT pg_advisory_xact_lock(:key)").bind("key", APPEND_LOCK).mapTo(String.class).findOne();
  }

  /**
   * The id of the last event this transaction inserted; on PostgreSQL the same round trip tells
   * peers that events were appended. Its events took consecutive ids: SQLite has one writer, and on
   * PostgreSQL no one else draws from the events' sequence while this transaction holds the append
   * lock (which every insert of events takes), and the sequence hands out ids one at a time (its
   * cache is 1, PostgreSQL's default; a larger one would break this).
   */
  private long lastId(Handle handle) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      return handle.createQuery("SELECT currval(pg_get_serial_sequence('events', 'id')) AS id, pg_notify(:channel, :payload)")
          .bind("channel", Signals.Channel.EVENTS.pgChannel).bind("payload", signals.toPeers(""))
          .map((rs, ctx) -> rs.getLong("id")).one();
    }
    return KeptStatements.with(handle, "SELECT last_insert_rowid()", statement -> {
      try (ResultSet rs = statement.prepared().executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static List<Event> withIds(List<NewEvent> pending, long lastId, long at) {
    Instant timestamp = Instant.ofEpochMilli(at);
    long id = lastId - pending.size();
    List<Event> events = new ArrayList<>(pending.size());
    for (NewEvent event : pending) events.add(new Event(++id, event.type(), event.topic(), timestamp, event.json()));
    return events;
  }

  /**
   * Runs the statements the works deferred, each text once as a batch over every work that deferred
   * it (in the order the texts were first deferred): one round trip for a whole group's
   * compare-and-sets; on PostgreSQL, where it has a {@link ManyRows} form, one statement. A write
   * that did not change exactly one row throws its work's failure, which rolls the transaction back.
   */
  private void runDeferred(Handle handle, List<Tx> txs) {
    var byText = new java.util.LinkedHashMap<String, List<Tx.DeferredWrite>>();
    for (Tx tx : txs) {
      for (Tx.DeferredWrite write : tx.deferred) byText.computeIfAbsent(write.sql(), sql -> new ArrayList<>()).add(write);
    }
    byText.forEach((sql, writes) -> {
      ManyRows many = writes.getFirst().many();
      if (many != null && writes.size() > 1 && db.dialect() == Dialect.POSTGRESQL && distinctKeys(many, writes)) {
        runAtOnce(handle, many, writes);
        return;
      }
      int[] counts = KeptStatements.with(handle, sql, statement -> {
        for (Tx.DeferredWrite write : writes) {
          statement.bind(write.arguments());
          statement.prepared().addBatch();
        }
        return statement.prepared().executeBatch();
      });
      for (int i = 0; i < writes.size(); i++) {
        if (counts[i] != 1) throw writes.get(i).unlessOneRow().get();
      }
    });
  }

  /**
   * Runs the writes as one statement over arrays ({@link ManyRows}); the work of each write whose key
   * did not come back fails, which rolls the transaction back.
   */
  private static void runAtOnce(Handle handle, ManyRows many, List<Tx.DeferredWrite> writes) {
    Set<List<Long>> changed = KeptStatements.with(handle, many.sql(), statement -> {
      Connection connection = statement.prepared().getConnection();
      var arrays = new HashMap<String, Object>();
      for (var type : many.types().entrySet()) {
        Object[] values = writes.stream().map(write -> write.arguments().get(type.getKey())).toArray();
        arrays.put(type.getKey(), connection.createArrayOf(type.getValue(), values));
      }
      Set<List<Long>> keys = new HashSet<>();
      try (ResultSet rs = statement.bind(arrays).prepared().executeQuery()) {
        while (rs.next()) {
          List<Long> key = new ArrayList<>(many.key().size());
          for (int i = 1; i <= many.key().size(); i++) key.add(rs.getLong(i));
          keys.add(key);
        }
      }
      return keys;
    });
    for (Tx.DeferredWrite write : writes) {
      if (!changed.contains(key(many, write))) throw write.unlessOneRow().get();
    }
  }

  /** Whether no two writes find the same row: one statement changes a row once, as a batch would not. */
  private static boolean distinctKeys(ManyRows many, List<Tx.DeferredWrite> writes) {
    Set<List<Long>> keys = new HashSet<>();
    for (Tx.DeferredWrite write : writes) {
      if (!keys.add(key(many, write))) return false;
    }
    return true;
  }

  private static List<Long> key(ManyRows many, Tx.DeferredWrite write) {
    List<Long> key = new ArrayList<>(many.key().size());
    for (String name : many.key()) key.add(((Number) write.arguments().get(name)).longValue());
    return key;
  }

  /**
   * Inserts the events in their order, as one batch of one kept statement ({@link KeptStatements}):
   * its text never changes, so the database does not parse it anew for each size of group, as it
   * did a multi-row {@code VALUES} list. On PostgreSQL the pool's {@code reWriteBatchedInserts}
   * sends the batch as multi-row inserts of a few fixed sizes.
   */
  private static void insert(Handle handle, List<NewEvent> events, long at) {
    KeptStatements.with(handle, INSERT_EVENT, statement -> {
      PreparedStatement insert = statement.prepared();
      for (NewEvent event : events) {
        insert.setString(1, event.type());
        insert.setString(2, event.topic());
        insert.setLong(3, at);
        insert.setString(4, event.json());
        insert.addBatch();
      }
      return insert.executeBatch();
    });
  }

  /** This node's subscribers and dispatcher learn of what committed. */
  private void afterCommit(List<Tx> txs, List<Event> committed) {
    var wakes = new java.util.LinkedHashSet<Map.Entry<Signals.Channel, String>>();
    for (Tx tx : txs) {
      tx.wakes.forEach((channel, payloads) -> payloads.forEach(p -> wakes.add(Map.entry(channel, p))));
    }
    if (!committed.isEmpty()) fanOut.accept(List.copyOf(committed));
    wakes.forEach(wake -> signals.fire(wake.getKey(), wake.getValue()));
  }

  public Clock clock() {
    return clock;
  }

  /** One transaction in progress. Not thread-safe. */
  public final class Tx {
    private Handle handle;
    private final List<NewEvent> pending = new ArrayList<>();
    private final Map<Signals.Channel, List<String>> wakes = new EnumMap<>(Signals.Channel.class);
    private final List<DeferredWrite> deferred = new ArrayList<>();

    private record DeferredWrite(String sql, ManyRows many, Map<String, ?> arguments,
        java.util.function.Supplier<RuntimeException> unlessOneRow) {}

    /**
     * Runs {@code sql}, which must change exactly one row, when the transaction's works are done,
     * batched with the same statement of the other works sharing the transaction; else
     * {@code unlessOneRow} is thrown and everything rolls back. For a work's last writes only:
     * nothing in the transaction sees them before it commits.
     */
    public void defer(String sql, Map<String, ?> arguments, java.util.function.Supplier<RuntimeException> unlessOneRow) {
      defer(sql, null, arguments, unlessOneRow);
    }

    /**
     * The same, run on PostgreSQL as {@code many} for every work of the transaction that deferred
     * {@code sql}: one statement for the group.
     */
    public void defer(String sql, ManyRows many, Map<String, ?> arguments,
        java.util.function.Supplier<RuntimeException> unlessOneRow) {
      deferred.add(new DeferredWrite(sql, many, arguments, unlessOneRow));
    }

    public Handle handle() {
      return handle;
    }

    public Instant now() {
      return clock.instant();
    }

    /** Appends an event, written when the transaction's work is done and visible on commit. */
    public void append(String type, String topic, Map<String, ?> data) {
      append(NewEvent.of(type, topic, data));
    }

    /** Appends an event made ready beforehand, written when the transaction's work is done. */
    public void append(NewEvent event) {
      pending.add(event);
      for (Reaction reaction : reactions.getOrDefault(event.type(), List.of())) {
        reaction.react(this, event.topic(), event.data());
      }
    }

    /** Signals {@code channel} on every node once this transaction commits. */
    public void wake(Signals.Channel channel, String payload) {
      wakes.computeIfAbsent(channel, c -> new ArrayList<>()).add(payload);
    }
  }
}
