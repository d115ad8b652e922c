package dev.stepwise.events;

import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups between the parts of the engine: "new events were committed", "there is work to
 * dispatch", "cancel execution N". Fired locally after commit (except new events where the
 * committing node's {@link EventBus} is handed the events themselves: {@link EventLog#fanOutTo});
 * on PostgreSQL they are also sent with {@code NOTIFY} inside the committing transaction so that
 * every node hears them, and a listener connection turns peers' notifications into local signals.
 * A node hears its own notifications too and skips them (each payload names the node that sent
 * it): it knows already, and each would cost its tailer a read and its dispatcher an empty claim.
 * Thread-safe.
 */
public final class Signals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  /** A kind of wake-up. */
  public enum Channel {
    EVENTS("stepwise_events"), DISPATCH("stepwise_dispatch"), CANCEL("stepwise_cancel");

    final String pgChannel;

    Channel(String pgChannel) {
      this.pgChannel = pgChannel;
    }
  }

  private final Map<Channel, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  /** Names this node in its notifications; new at every start, so a restarted node hears the old one's. */
  private final String origin = Long.toHexString(new java.security.SecureRandom().nextLong());
  private final Database db;
  private final String url;
  private volatile boolean running = true;
  private volatile boolean listening;
  private Thread pgListener;

  public Signals(Database db, String url) {
    this.db = db;
    this.url = url;
    for (Channel channel : Channel.values()) listeners.put(channel, new CopyOnWriteArrayList<>());
  }

  /** Starts listening to peers (PostgreSQL only). */
  public Signals start() {
    if (db.dialect() == Dialect.POSTGRESQL) {
      pgListener = Thread.ofPlatform().daemon().name("pg-listener").start(this::listen);
    }
    return this;
  }

  public void on(Channel channel, Consumer<String> listener) {
    listeners.get(channel).add(listener);
  }

  /** Tells local listeners now. */
  public void fire(Channel channel, String payload) {
    for (Consumer<String> listener : listeners.get(channel)) {
      try {
        listener.accept(payload);
      } catch (RuntimeException e) {
        log.warn("signal listener for {} failed: {}", channel, e.toString());
      }
    }
  }

  /** Within a transaction: tells peers when it commits (a no-op on SQLite, which has no peers). */
  void notifyPeersOnCommit(Handle h, Channel channel, String payload) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", channel.pgChannel)
          .bind("payload", toPeers(payload)).mapTo(String.class).findOne();
    }
  }

  /** {@code payload} as sent to peers: naming this node, so that it skips its own. */
  String toPeers(String payload) {
    return origin + ":" + payload;
  }

  private void listen() {
    boolean lost = false;
    while (running) {
      listening = false;
      try (Connection connection = DriverManager.getConnection(url);
           Statement statement = connection.createStatement()) {
        for (Channel channel : Channel.values()) statement.execute("LISTEN " + channel.pgChannel);
        PGConnection pg = connection.unwrap(PGConnection.class);
        listening = true;
        if (lost) {
          log.info("listening to other nodes again");
          lost = false;
          fire(Channel.EVENTS, ""); // whatever peers committed meanwhile is read now
          fire(Channel.DISPATCH, "");
        }
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications == null) continue;
          for (PGNotification notification : notifications) heard(notification.getName(), notification.getParameter());
        }
      } catch (SQLException e) {
        if (!running) return;
        if (!lost) log.warn("lost the connection that hears other nodes ({}); reconnecting every second", e.getMessage());
        lost = true;
        sleep(Duration.ofSeconds(1));
      }
    }
  }

  /** A notification from a peer becomes a local signal; one this node sent is skipped. */
  void heard(String pgChannel, String sent) {
    int colon = sent.indexOf(':');
    if (colon >= 0 && sent.substring(0, colon).equals(origin)) return;
    String payload = colon >= 0 ? sent.substring(colon + 1) : sent;
    for (Channel channel : Channel.values()) {
      if (channel.pgChannel.equals(pgChannel)) fire(channel, payload);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean listeningToPeers() {
    return pgListener != null && pgListener.isAlive() && listening;
  }

  @Override
  public void close() {
    running = false;
    if (pgListener != null) {
      pgListener.interrupt();
      try {
        pgListener.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
