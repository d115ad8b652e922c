package dev.stepwise.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the busy tables fresh after a schema migration and after
 * bulk loads, so that the claim keeps its index-ordered plan however fast the queue grew
 * (autovacuum's own ANALYZE comes later). On SQLite it does nothing: its planner needs no
 * statistics to pick the claim's index. Thread-safe.
 */
public final class PlannerStatistics {
  private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);
  /** At most one refresh in this long, however many bulk loads arrive. */
  static final Duration AT_MOST_EVERY = Duration.ofSeconds(10);
  private static final String TABLES = "executions, steps";

  private final Jdbi jdbi;
  private final boolean needed;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong lastRunNanos = new AtomicLong(System.nanoTime() - AT_MOST_EVERY.toNanos());

  PlannerStatistics(Jdbi jdbi, Dialect dialect) {
    this.jdbi = jdbi;
    this.needed = dialect == Dialect.POSTGRESQL;
  }

  /** Refreshes them now (after a migration); a failure is logged, never thrown. */
  public void refresh() {
    if (!needed) return;
    try {
      jdbi.useHandle(h -> h.execute("ANALYZE " + TABLES));
      lastRunNanos.set(System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("could not refresh the planner's statistics: {}", e.getMessage());
    }
  }

  /** Refreshes them in the background, unless that happened within {@link #AT_MOST_EVERY}. */
  public void refreshSoon() {
    if (!needed || System.nanoTime() - lastRunNanos.get() < AT_MOST_EVERY.toNanos()) return;
    if (!running.compareAndSet(false, true)) return;
    Thread.ofVirtual().name("planner-statistics").start(() -> {
      try {
        refresh();
      } finally {
        running.set(false);
      }
    });
  }
}
