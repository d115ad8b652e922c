package dev.stepwise.events;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber's bounded queue of live events. When it is full the subscriber has fallen
 * behind: it is marked overflowed and gets nothing more, and its owner should close it and let
 * the client resume from its last event id. Thread-safe.
 */
public final class Subscription implements AutoCloseable {
  private final TopicFilter filter;
  private final BlockingQueue<Event> queue;
  private final Runnable onClose;
  private volatile boolean overflowed;
  private volatile boolean ended;

  Subscription(TopicFilter filter, int capacity, Runnable onClose) {
    this.filter = filter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onClose = onClose;
  }

  void offer(Event event) {
    if (overflowed || !filter.matches(event)) return;
    if (!queue.offer(event)) {
      overflowed = true;
      queue.clear();
    }
  }

  /**
   * The next live event, or {@code null} after {@code timeout}, after {@link #wake}, or once the
   * bus has shut down.
   */
  public Event poll(Duration timeout) throws InterruptedException {
    if (ended) return null;
    Event event = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return event == END || event == WAKE ? null : event;
  }

  /**
   * Makes a waiting {@link #poll} return now, so that its owner can act on something other than
   * an event (a subscriber changing its topics) without waiting for one.
   */
  public void wake() {
    queue.offer(WAKE);
  }

  /** The bus is shutting down: no more events will come. */
  public boolean ended() {
    return ended;
  }

  void end() {
    ended = true;
    queue.clear();
    queue.offer(END);
  }

  private static final Event END = new Event(-1, "end", "", java.time.Instant.EPOCH, "null");
  private static final Event WAKE = new Event(-1, "wake", "", java.time.Instant.EPOCH, "null");

  public boolean overflowed() {
    return overflowed;
  }

  public TopicFilter filter() {
    return filter;
  }

  @Override
  public void close() {
    onClose.run();
  }
}
