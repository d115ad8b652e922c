package dev.stepwise.orchestrator;

import dev.stepwise.runners.CancelSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The executions this node is running now, so that a cancel request can reach their steps. Thread-safe. */
final class RunningExecutions {
  private final Map<Long, CancelSignal> running = new ConcurrentHashMap<>();
  private final Map<Long, Thread> threads = new ConcurrentHashMap<>();
  private final Map<Long, Lease> leases = new ConcurrentHashMap<>();

  /** Registers the calling thread as the one running the execution under {@code lease}. */
  CancelSignal register(Lease lease) {
    threads.put(lease.executionId(), Thread.currentThread());
    leases.put(lease.executionId(), lease);
    return running.computeIfAbsent(lease.executionId(), id -> new CancelSignal());
  }

  /** The leases this node's slices hold right now: the only ones its heartbeat renews. */
  java.util.Collection<Lease> leases() {
    return java.util.List.copyOf(leases.values());
  }

  void unregister(long executionId) {
    running.remove(executionId);
    threads.remove(executionId);
    leases.remove(executionId);
  }

  /** Cancels the execution's running step, if it runs here. */
  void cancel(long executionId) {
    CancelSignal signal = running.get(executionId);
    if (signal != null) signal.cancel();
  }

  /** Whether a slice of this node runs the execution now. */
  boolean contains(long executionId) {
    return threads.containsKey(executionId);
  }

  int count() {
    return running.size();
  }

  /** Stops every slice without recording an outcome: for shutdown, after which recovery takes over. */
  void interruptAll() {
    threads.values().forEach(Thread::interrupt);
  }
}
