package dev.stepwise.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber's bounded queue of live events: those the bus hands over that match its filter.
 * When it is full the subscriber has fallen behind: it is marked overflowed and gets nothing more,
 * and its owner should close it and let the client resume from its last event id. Its owner may
 * change the filter ({@link #follow}), so that a subscriber whose topics change (a WebSocket) is
 * handed only the events it follows, not every event of the log. Thread-safe.
 */
public final class Subscription implements AutoCloseable {
  private final BlockingQueue<Event> queue;
  /** Guarded by this, with {@link #settled}: a change of filter and a handing over never interleave. */
  private TopicFilter filter;
  /** The id of the last event the bus handed over, matching or not. */
  private long settled;
  private final Runnable onClose;
  private volatile boolean overflowed;
  private volatile boolean ended;

  Subscription(TopicFilter filter, int capacity, Runnable onClose) {
    this.filter = filter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onClose = onClose;
  }

  synchronized void offer(Event event) {
    settled = event.id();
    if (overflowed || !filter.matches(event)) return;
    if (!queue.offer(event)) {
      overflowed = true;
      queue.clear();
      queue.offer(WAKE);
    }
  }

  /**
   * What was queued under the old filter when the filter changed, and the id of the last event the
   * bus had handed over by then: every event up to {@code settled} was matched against the old
   * filter (those that matched are in {@code queued}, unless the subscription overflowed, or were
   * taken before), every later one is matched against the new.
   */
  public record Followed(long settled, List<Event> queued) {}

  /** Matches the events handed over from now on against {@code next} instead; see {@link Followed}. */
  public synchronized Followed follow(TopicFilter next) {
    filter = next;
    List<Event> queued = new ArrayList<>();
    queue.drainTo(queued);
    // a wake asked for meanwhile still wakes the next poll; the end is told by ended()
    if (queued.removeIf(event -> event.id() < 0)) queue.offer(WAKE);
    return new Followed(settled, List.copyOf(queued));
  }

  /**
   * The next live event, or {@code null} after {@code timeout}, after {@link #wake}, once the bus
   * has shut down, or at once when the subscription has overflowed.
   */
  public Event poll(Duration timeout) throws InterruptedException {
    if (ended || overflowed) return null;
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

  @Override
  public void close() {
    onClose.run();
  }
}
