package dev.stepwise.bench;

import dev.stepwise.events.Event;
import dev.stepwise.events.EventBus;
import dev.stepwise.events.Subscription;
import dev.stepwise.events.TopicFilter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the executions' events of one type as the node publishes them: {@code execution.completed}
 * is what a drain waits for, {@code approval.requested} what parking waits for, without polling the
 * database while the engine works.
 */
final class EventCounter implements AutoCloseable {
  /** Room for every event of a long drain: the counter reads as fast as they come. */
  private static final int CAPACITY = 1 << 21;

  private final Subscription subscription;
  private final String type;
  private final AtomicLong counted = new AtomicLong();
  private final Object change = new Object();
  private final Thread reader;

  EventCounter(EventBus bus, String type) {
    this.type = type;
    subscription = bus.subscribe(TopicFilter.of("executions", "approvals"), CAPACITY);
    reader = Thread.ofPlatform().daemon().name("bench-events").start(this::read);
  }

  private void read() {
    try {
      while (!subscription.ended()) {
        Event event = subscription.poll(Duration.ofMillis(200));
        if (event != null && event.type().equals(type)) {
          counted.incrementAndGet();
          synchronized (change) {
            change.notifyAll();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long count() {
    return counted.get();
  }

  /** Waits until {@code target} events have been counted since this counter started. */
  void awaitAtLeast(long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (change) {
      while (counted.get() < target) {
        if (subscription.overflowed()) throw new IllegalStateException("the benchmark fell behind the event stream");
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("only " + counted.get() + " of " + target + " " + type + " events arrived "
              + "within " + timeout.toMinutes() + " minutes");
        }
        change.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
  }

  @Override
  public void close() {
    subscription.close();
    reader.interrupt();
  }
}
