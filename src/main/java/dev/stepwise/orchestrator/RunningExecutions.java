package dev.stepwise.orchestrator;

import dev.stepwise.runners.CancelSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The executions this node is running now, so that a cancel request can reach their steps. Thread-safe. */
final class RunningExecutions {
  private final Map<Long, CancelSignal> running = new ConcurrentHashMap<>();
  private final Map<Long, Thread> threads = new ConcurrentHashMap<>();

  /** Registers the calling thread as the one running the execution. */
  CancelSignal register(long executionId) {
    threads.put(executionId, Thread.currentThread());
    return running.computeIfAbsent(executionId, id -> new CancelSignal());
  }

  void unregister(long executionId) {
    running.remove(executionId);
    threads.remove(executionId);
  }

  /** Cancels the execution's running step, if it runs here. */
  void cancel(long executionId) {
    CancelSignal signal = running.get(executionId);
    if (signal != null) signal.cancel();
  }

  int count() {
    return running.size();
  }

  /** Stops every slice without recording an outcome: for shutdown, after which recovery takes over. */
  void interruptAll() {
    threads.values().forEach(Thread::interrupt);
  }
}
