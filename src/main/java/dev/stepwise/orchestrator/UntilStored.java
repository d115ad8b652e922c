package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out a database that cannot take a write now. A state change whose outcome exists only in
 * memory (how a step ended) is tried again until the database takes it, the lease turns out to be
 * lost ({@link Fenced}), or the node shuts down; a transient outage then costs a delay, never a
 * wrong record. While nobody can write, nobody can take the lease over either, and once the
 * database is back the reapers give every holder one lease's time to renew (ReapExpiredLeases):
 * the fence still decides. Thread-safe (stateless).
 */
final class UntilStored {
  private static final Logger log = LoggerFactory.getLogger(UntilStored.class);
  private static final Duration FIRST_WAIT = Duration.ofMillis(100);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

  private UntilStored() {}

  /**
   * Runs {@code work} in one transaction (which it may share with other executions' work, see
   * {@link EventLog#transactShared}), again and again while the database is unavailable.
   *
   * @param what the change in words, for the log ("step 2's outcome")
   * @throws InterruptedException when the node shuts down meanwhile; recovery takes over
   */
  static <T> T transact(EventLog eventLog, long executionId, String what, EventLog.Work<T> work)
      throws InterruptedException {
    var backoff = new Backoff();
    while (true) {
      try {
        T result = eventLog.transactShared(work);
        backoff.recovered(executionId, what);
        return result;
      } catch (StoreUnavailable e) {
        backoff.pause(executionId, what, e);
      }
    }
  }

  /** Growing pauses between attempts, and one log line when waiting starts and one when it ends. */
  static final class Backoff {
    private Duration wait = FIRST_WAIT;
    private Instant since;

    void pause(long executionId, String what, StoreUnavailable outage) throws InterruptedException {
      if (since == null) {
        since = Instant.now();
        log.warn("execution {}: cannot store {} now ({}); trying again until the database takes it", executionId,
            what, outage.reason());
      }
      Thread.sleep(wait);
      wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
    }

    void recovered(long executionId, String what) {
      if (since != null) {
        log.info("execution {}: stored {} after waiting {} ms for the database", executionId, what,
            Duration.between(since, Instant.now()).toMillis());
        since = null;
        wait = FIRST_WAIT;
      }
    }
  }
}
