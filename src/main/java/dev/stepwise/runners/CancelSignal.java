package dev.stepwise.runners;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Lets a running step be stopped from outside: cancel requests run the registered stoppers. Thread-safe. */
public final class CancelSignal {
  private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  /** Marks it cancelled and runs the stoppers on their own thread: stopping may take seconds. */
  public void cancel() {
    cancelled = true;
    for (Runnable stopper : stoppers) Thread.ofVirtual().name("stop-step").start(stopper);
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Runs {@code stopper} on cancel, or at once when already cancelled. */
  public void onCancel(Runnable stopper) {
    stoppers.add(stopper);
    if (cancelled) stopper.run();
  }

  public void remove(Runnable stopper) {
    stoppers.remove(stopper);
  }
}
