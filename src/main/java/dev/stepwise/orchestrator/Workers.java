package dev.stepwise.orchestrator;

import dev.stepwise.runners.CancelSignal;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's workers ({@code engine.workers}): how many steps run here at once. An execution
 * holds one only while one of its steps runs; passing noop steps, settling and parking for a
 * decision need none, so a queue of such work is not held back by the number of workers. How
 * many executions may wait here for a worker is the node's {@link Prefetch}; those beyond it are
 * told to give their lease back, so that another node can run them. Thread-safe.
 */
final class Workers {
  /** How often a wait for a worker looks whether its attempt was cancelled, or is one too many. */
  private static final long CHECK_MILLIS = 50;

  /** How a wait for a worker ended. */
  enum Wait {
    /** A worker is held: give it back with {@link #release}. */
    WORKER,
    /** The attempt was cancelled meanwhile: it starts without a worker and is stopped at once. */
    CANCELLED,
    /** More executions wait here than the prefetch allows: this one goes back to the shared queue. */
    GIVE_BACK
  }

  private final int count;
  private final Semaphore free;
  private final Prefetch prefetch;
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile Runnable onFree = () -> {};

  Workers(int count, Prefetch prefetch) {
    this.count = count;
    this.free = new Semaphore(count, true);
    this.prefetch = prefetch;
  }

  /** Waits for a free worker, unless the attempt is cancelled or this wait is beyond the prefetch. */
  Wait acquire(CancelSignal cancel) throws InterruptedException {
    prefetch.asked();
    waiting.incrementAndGet();
    boolean counted = true;
    try {
      while (!free.tryAcquire(CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
        if (cancel.cancelled()) return Wait.CANCELLED;
        int allowed = prefetch();
        // exactly the waits beyond the prefetch give up, each taking itself off the count
        if (waiting.getAndUpdate(w -> w > allowed ? w - 1 : w) > allowed) {
          counted = false;
          return Wait.GIVE_BACK;
        }
      }
      return Wait.WORKER;
    } finally {
      if (counted) waiting.decrementAndGet();
    }
  }

  /** Gives a worker back, and tells whoever waits to claim work (the dispatcher) that one is free. */
  void release() {
    free.release();
    onFree.run();
  }

  void onFree(Runnable listener) {
    this.onFree = listener;
  }

  /** How many executions this node may keep beyond its workers now ({@link Prefetch}). */
  int prefetch() {
    return prefetch.now(waiting.get());
  }

  /** The largest prefetch: with the workers, how many executions this node may work on at once. */
  int mostPrefetch() {
    return prefetch.most();
  }

  /** An execution ended its time here without asking for a worker. */
  void endedWithout() {
    prefetch.endedWithout();
  }

  int count() {
    return count;
  }

  int busy() {
    return count - free.availablePermits();
  }

  int free() {
    return free.availablePermits();
  }

  /** Executions waiting here for a worker. */
  int waiting() {
    return waiting.get();
  }
}
