package dev.stepwise.orchestrator;

import dev.stepwise.runners.CancelSignal;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * This node's workers ({@code engine.workers}): how many steps run here at once. An execution
 * holds one only while one of its steps runs; passing noop steps, settling and parking for a
 * decision need none, so a queue of such work is not held back by the number of workers.
 * Thread-safe.
 */
final class Workers {
  /** How often a wait for a worker looks whether its attempt was cancelled meanwhile. */
  private static final long CANCEL_CHECK_MILLIS = 50;

  private final int count;
  private final Semaphore free;
  private volatile Runnable onFree = () -> {};

  Workers(int count) {
    this.count = count;
    this.free = new Semaphore(count, true);
  }

  /**
   * Waits for a free worker. Returns false, holding none, when {@code cancel} fired meanwhile: the
   * step then starts without one and is stopped at once, rather than wait for a worker to be told
   * to stop.
   */
  boolean acquire(CancelSignal cancel) throws InterruptedException {
    while (!free.tryAcquire(CANCEL_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
      if (cancel.cancelled()) return false;
    }
    return true;
  }

  /** Gives a worker back, and tells whoever waits to claim work (the dispatcher) that one is free. */
  void release() {
    free.release();
    onFree.run();
  }

  void onFree(Runnable listener) {
    this.onFree = listener;
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
}
