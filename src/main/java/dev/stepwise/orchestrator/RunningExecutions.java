package dev.stepwise.orchestrator;

import dev.stepwise.runners.CancelSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executions this node is running now, so that a cancel request can reach their steps and the
 * heartbeat renews their leases. An execution given back and claimed again at once has a new slice
 * under a new lease: each slice registers and unregisters only its own entry. Thread-safe.
 */
final class RunningExecutions {
  private record Entry(Lease lease, Thread thread, CancelSignal signal) {}

  private final Map<Long, Entry> running = new ConcurrentHashMap<>();

  /** Registers the calling thread as the one running the execution under {@code lease}. */
  CancelSignal register(Lease lease) {
    var entry = new Entry(lease, Thread.currentThread(), new CancelSignal());
    running.put(lease.executionId(), entry);
    return entry.signal();
  }

  /** The leases this node's slices hold right now: the only ones its heartbeat renews. */
  java.util.Collection<Lease> leases() {
    return running.values().stream().map(Entry::lease).toList();
  }

  /** Forgets the slice running under {@code lease}, unless a newer slice took the execution's place. */
  void unregister(Lease lease) {
    running.computeIfPresent(lease.executionId(), (id, entry) -> entry.lease() == lease ? null : entry);
  }

  /** Cancels the execution's running step, if it runs here. */
  void cancel(long executionId) {
    Entry entry = running.get(executionId);
    if (entry != null) entry.signal().cancel();
  }

  /**
   * Cancels the step of the slice running under {@code lease} only: a newer slice of the same
   * execution, under the lease it was claimed again with, goes on. Returns whether a slice ran under it.
   */
  boolean cancel(Lease lease) {
    Entry entry = running.get(lease.executionId());
    if (entry == null || entry.lease() != lease) return false;
    entry.signal().cancel();
    return true;
  }

  /** Whether a slice of this node runs the execution now. */
  boolean contains(long executionId) {
    return running.containsKey(executionId);
  }

  int count() {
    return running.size();
  }

  /** Stops every slice without recording an outcome: for shutdown, after which recovery takes over. */
  void interruptAll() {
    running.values().forEach(entry -> entry.thread().interrupt());
  }
}
