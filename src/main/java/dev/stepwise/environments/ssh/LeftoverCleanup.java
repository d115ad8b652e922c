package dev.stepwise.environments.ssh;

import dev.stepwise.environments.EnvironmentUnavailable;
import dev.stepwise.store.Database;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps whose processes on a remote machine could not be stopped when they should have been (the
 * connection was lost, or a node died while they ran): kept in the database, so that a restart
 * forgets none, and every {@link #INTERVAL} each host with some is tried again; once it answers,
 * their processes are stopped by mark. Any node may do it. Thread-safe.
 */
public final class LeftoverCleanup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeftoverCleanup.class);
  static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int GRACE_SECONDS = 2;

  private final SshConnections connections;
  private final Database db;
  private final Clock clock;
  private final Thread worker;

  public LeftoverCleanup(SshConnections connections, Database db, Clock clock) {
    this.connections = connections;
    this.db = db;
    this.clock = clock;
    this.worker = Thread.ofVirtual().name("ssh-leftover-cleanup").start(this::loop);
  }

  /** Stops the processes marked {@code mark} on {@code environment} as soon as the host answers. */
  public void later(String environment, String mark, String reason) {
    try {
      db.jdbi().useHandle(h -> h.createUpdate("""
              INSERT INTO remote_cleanups (environment, mark, reason, created_at) VALUES (:env, :mark, :reason, :now)
              ON CONFLICT DO NOTHING""")
          .bind("env", environment).bind("mark", mark).bind("reason", reason).bind("now", clock.millis()).execute());
    } catch (RuntimeException e) {
      log.warn("environment {}: step {} left processes that could not be stopped ({}), and the database cannot keep "
          + "that in mind now: {}", environment, mark, reason, e.getMessage());
    }
  }

  /** How many steps wait for their processes to be stopped on {@code environment}. */
  public int waiting(String environment) {
    return db.reads().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM remote_cleanups WHERE environment = :env")
        .bind("env", environment).mapTo(Integer.class).one());
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(INTERVAL);
        try {
          sweep();
        } catch (RuntimeException e) {
          log.debug("leftover cleanup: {}", e.getMessage()); // the database is away: the next sweep tries again
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tries every environment that has processes to stop; returns how many steps' processes were stopped. */
  int sweep() {
    List<String> environments = db.reads().withHandle(h -> h.createQuery(
        "SELECT DISTINCT environment FROM remote_cleanups").mapTo(String.class).list());
    int done = 0;
    for (String environment : environments) {
      if (!connections.specs().containsKey(environment)) continue; // no longer configured here
      List<String> marks = db.reads().withHandle(h -> h.createQuery(
          "SELECT mark FROM remote_cleanups WHERE environment = :env ORDER BY created_at").bind("env", environment)
          .mapTo(String.class).list());
      try (SshConnections.Lease lease = connections.borrow(environment)) {
        for (String mark : marks) {
          var report = RemoteStop.stop(lease.session(), mark, GRACE_SECONDS);
          db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM remote_cleanups WHERE environment = :env AND mark = :mark")
              .bind("env", environment).bind("mark", mark).execute());
          done++;
          report.describe("once the host answered again").ifPresent(line ->
              log.info("environment {}: step {}: {}", environment, mark, line));
        }
      } catch (EnvironmentUnavailable | IOException e) {
        // still unreachable: tried again at the next sweep
      }
    }
    return done;
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
