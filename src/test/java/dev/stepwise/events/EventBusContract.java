package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.store.Database;
import dev.stepwise.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bus delivers what this node commits from the committing transactions' hands, without reading
 * it back, and still every event of the log exactly once and in id order, whoever appended it.
 */
abstract class EventBusContract {
  private TestDatabase database;
  private Database db;
  private Signals signals;
  private EventLog log;
  private Events events;
  private EventBus bus;
  private Subscription everything;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    database = newDatabase();
    db = Database.open(database.url(), 4, null);
    signals = new Signals(db, database.url()).start();
    log = new EventLog(db, Clock.systemUTC(), signals);
    events = new Events(db);
    bus = new EventBus(events, signals).start();
    log.fanOutTo(bus::committed);
    everything = bus.subscribe(TopicFilter.all());
  }

  @AfterEach
  void close() {
    log.close();
    bus.close();
    signals.close();
    db.close();
    database.close();
  }

  @Test
  void this_nodes_events_are_delivered_as_the_log_holds_them_without_reading_them_back() throws Exception {
    long readsBefore = bus.logReads();
    long started = System.nanoTime();
    List<Event> delivered = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      int n = i;
      log.transact(tx -> {
        for (int k = 0; k < 1 + n % 3; k++) tx.append("test.appended", "test:" + n, Map.of("n", n, "k", k));
        return null;
      });
      delivered.addAll(take(1 + n % 3));
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    List<Event> logged = events.after(0, TopicFilter.all(), 1000);
    assertThat(delivered).extracting(Event::toJson).containsExactlyElementsOf(logged.stream().map(Event::toJson).toList());
    assertThat(bus.logReads() - readsBefore)
        .as("only the once-a-second safety net read the log, not each of 100 commits (%d s)", seconds)
        .isLessThanOrEqualTo(seconds + 2);
  }

  @Test
  void concurrent_commits_are_delivered_once_each_in_id_order() throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        for (int i = 0; i < 40; i++) {
          int n = i;
          EventLog.Work<Object> work = tx -> {
            tx.append("test.appended", "test:" + thread, Map.of("n", n));
            tx.append("test.appended", "test:" + thread, Map.of("n", n, "second", true));
            return null;
          };
          if (n % 2 == 0) log.transactShared(work); else log.transact(work);
        }
      }));
    }
    for (Future<?> each : done) each.get();
    pool.shutdown();

    List<Event> delivered = take(8 * 40 * 2);
    List<Event> logged = events.after(0, TopicFilter.all(), 1000);
    assertThat(logged).hasSize(8 * 40 * 2);
    assertThat(delivered).extracting(Event::toJson).containsExactlyElementsOf(logged.stream().map(Event::toJson).toList());
  }

  @Test
  void events_another_node_appends_between_this_nodes_are_delivered_in_their_place() throws Exception {
    try (Database peerDb = Database.open(database.url(), 2, null);
         Signals peerSignals = new Signals(peerDb, database.url())) { // not listening: it only sends
      var peer = new EventLog(peerDb, Clock.systemUTC(), peerSignals);
      append(log, "mine:1");
      append(peer, "theirs:2"); // on SQLite nothing tells this node; on PostgreSQL a NOTIFY may
      append(log, "mine:3");
      assertThat(take(3)).extracting(Event::topic).containsExactly("mine:1", "theirs:2", "mine:3");
      assertThat(take(0)).isEmpty();
      append(peer, "theirs:4"); // nothing of this node's follows it: a NOTIFY (PostgreSQL) or the safety net brings it
      assertThat(take(1)).extracting(Event::topic).containsExactly("theirs:4");
    }
  }

  private static void append(EventLog to, String topic) {
    to.transact(tx -> {
      tx.append("test.appended", topic, Map.of());
      return null;
    });
  }

  /** The next {@code count} events delivered, then checks that no more come at once. */
  private List<Event> take(int count) throws InterruptedException {
    List<Event> taken = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (taken.size() < count && System.nanoTime() < deadline) {
      Event event = everything.poll(Duration.ofMillis(200));
      if (event != null) taken.add(event);
    }
    assertThat(taken).as("delivered within 20 s").hasSize(count);
    assertThat(everything.poll(Duration.ofMillis(50))).as("nothing more").isNull();
    return taken;
  }
}
