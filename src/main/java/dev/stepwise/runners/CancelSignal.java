package dev.stepwise.runners;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Lets a running step be stopped from outside: cancel requests run the registered stoppers. Thread-safe. */
public final class CancelSignal {
  private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
    stoppers.forEach(Runnable::run);
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
