package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commit wakes the node that made it once, and every other node sharing the database once: the
 * committing node fires its signals itself and skips the echo of its own NOTIFY.
 */
abstract class SignalsContract {
  private TestDatabase database;
  private Node committing;
  private Node peer;

  abstract TestDatabase newDatabase();

  /** One node's view: its own pool, signals and event log, and what its listeners heard. */
  private static final class Node implements AutoCloseable {
    final Database db;
    final Signals signals;
    final EventLog log;
    final List<String> heard = new CopyOnWriteArrayList<>();

    Node(TestDatabase database) {
      db = Database.open(database.url(), 2, null);
      signals = new Signals(db, database.url()).start();
      log = new EventLog(db, Clock.systemUTC(), signals);
      for (Signals.Channel channel : Signals.Channel.values()) {
        signals.on(channel, payload -> heard.add(channel + " " + payload));
      }
    }

    @Override
    public void close() {
      signals.close();
      db.close();
    }
  }

  @BeforeEach
  void open() {
    database = newDatabase();
    committing = new Node(database);
    peer = new Node(database);
    if (committing.db.dialect() == Dialect.POSTGRESQL) {
      await().atMost(Duration.ofSeconds(10)).until(() -> committing.signals.listeningToPeers()
          && peer.signals.listeningToPeers());
    }
  }

  @AfterEach
  void close() {
    committing.close();
    peer.close();
    database.close();
  }

  @Test
  void a_commit_wakes_its_own_node_once_and_each_peer_once() throws Exception {
    committing.log.transact(tx -> {
      tx.append("test.appended", "test:1", Map.of("n", 1));
      tx.wake(Signals.Channel.CANCEL, "42");
      return null;
    });
    List<String> once = List.of("EVENTS ", "CANCEL 42");
    assertThat(committing.heard).as("fired after commit").containsExactlyElementsOf(once);
    if (committing.db.dialect() == Dialect.POSTGRESQL) {
      await().atMost(Duration.ofSeconds(10)).until(() -> peer.heard.size() == once.size());
      assertThat(peer.heard).as("heard through NOTIFY").containsExactlyElementsOf(once);
    }
    // the echo of the committing node's own NOTIFY arrives with the peer's copy, or not at all
    Thread.sleep(500);
    assertThat(committing.heard).as("its own notifications are not heard again").containsExactlyElementsOf(once);
    assertThat(peer.heard).hasSize(committing.db.dialect() == Dialect.POSTGRESQL ? once.size() : 0);
  }

  @Test
  void a_payload_with_a_colon_reaches_peers_whole() {
    committing.signals.heard("stepwise_cancel", "another-node:7:8");
    assertThat(committing.heard).containsExactly("CANCEL 7:8");
  }
}
