package dev.stepwise.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the busy tables fresh: after a schema migration, after
 * bulk loads, and each time as many executions were queued here as the table held at the last
 * refresh, so that the claim keeps its index-ordered plan however fast the queue grew and no
 * statement keeps a plan made for a table of a few rows (a server's tables start empty; the plans
 * PostgreSQL keeps for prepared statements are made again only when the statistics change, and
 * autovacuum's own ANALYZE comes a minute or more later). On SQLite it does nothing: its planner
 * needs no statistics to pick its indexes. Thread-safe.
 */
public final class PlannerStatistics {
  private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);
  /** At most one refresh for bulk loads in this long, however many arrive. */
  static final Duration AT_MOST_EVERY = Duration.ofSeconds(10);
  /** Executions queued here before the first refresh for growth, however small the table was. */
  static final int FIRST_GROWTH = 500;
  private static final String TABLES = "executions, steps";

  private final Jdbi jdbi;
  private final boolean needed;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong lastRunNanos = new AtomicLong(System.nanoTime() - AT_MOST_EVERY.toNanos());
  private final AtomicLong queuedSince = new AtomicLong();
  private volatile long rowsAtRefresh;

  PlannerStatistics(Jdbi jdbi, Dialect dialect) {
    this.jdbi = jdbi;
    this.needed = dialect == Dialect.POSTGRESQL;
  }

  /** Refreshes them now (after a migration); a failure is logged, never thrown. */
  public void refresh() {
    if (!needed) return;
    try {
      queuedSince.set(0);
      rowsAtRefresh = jdbi.withHandle(h -> {
        h.execute("ANALYZE " + TABLES);
        return h.createQuery("SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = CAST('executions' AS regclass)")
            .mapTo(Long.class).one();
      });
      lastRunNanos.set(System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("could not refresh the planner's statistics: {}", e.getMessage());
    }
  }

  /**
   * Counts {@code count} executions just queued by this node, and refreshes in the background when
   * they came as a bulk load (several at once), unless a refresh ran within {@link #AT_MOST_EVERY},
   * or when as many were queued since the last refresh as the table then held
   * ({@link #FIRST_GROWTH} at least): a refresh each time the table about doubles. True when this
   * started one.
   */
  public boolean queued(int count) {
    if (!needed) return false;
    boolean grew = queuedSince.addAndGet(count) >= Math.max(FIRST_GROWTH, rowsAtRefresh);
    boolean bulk = count > 1 && System.nanoTime() - lastRunNanos.get() >= AT_MOST_EVERY.toNanos();
    return (grew || bulk) && inBackground();
  }

  private boolean inBackground() {
    if (!running.compareAndSet(false, true)) return false;
    Thread.ofVirtual().name("planner-statistics").start(() -> {
      try {
        refresh();
      } finally {
        running.set(false);
      }
    });
    return true;
  }
}
