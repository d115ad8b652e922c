package dev.stepwise.events;

import dev.stepwise.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans committed events out to this node's subscribers, in id order. One tailer reads the log
 * after the last id it delivered whenever it is signalled (a local commit, or a peer's NOTIFY) and
 * at least every second, so an event is delivered exactly once per subscriber, in order, whoever
 * wrote it. Thread-safe.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private static final Duration SAFETY_NET = Duration.ofSeconds(1);
  private static final int BATCH = 1000;
  public static final int DEFAULT_CAPACITY = 10_000;

  private final Events events;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running;
  private volatile long lastId;
  private volatile Instant lastTick = Instant.EPOCH;
  private Thread tailer;

  public EventBus(Events events, Signals signals) {
    this.events = events;
    signals.on(Signals.Channel.EVENTS, payload -> wake.release());
  }

  public EventBus start() {
    lastId = events.maxId();
    running = true;
    lastTick = Instant.now();
    tailer = Thread.ofPlatform().daemon().name("event-tailer").start(this::tail);
    return this;
  }

  /** Live events matching {@code filter} from now on; close it when done. */
  public Subscription subscribe(TopicFilter filter) {
    return subscribe(filter, DEFAULT_CAPACITY);
  }

  public Subscription subscribe(TopicFilter filter, int capacity) {
    var subscription = new Subscription[1];
    subscription[0] = new Subscription(filter, capacity, () -> subscriptions.remove(subscription[0]));
    subscriptions.add(subscription[0]);
    return subscription[0];
  }

  private void tail() {
    while (running) {
      try {
        if (wake.tryAcquire(SAFETY_NET.toMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
        lastTick = Instant.now();
        deliverNew();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StoreUnavailable e) {
        log.debug("event tailer waits for the database: {}", e.reason()); // the outage itself is logged once
      } catch (RuntimeException e) {
        log.warn("event tailer could not read the log: {}", e.toString());
      }
    }
  }

  private void deliverNew() {
    while (true) {
      List<Event> batch = events.after(lastId, TopicFilter.all(), BATCH);
      for (Event event : batch) {
        for (Subscription subscription : subscriptions) subscription.offer(event);
        lastId = event.id();
      }
      if (batch.size() < BATCH) return;
    }
  }

  public int subscribers() {
    return subscriptions.size();
  }

  /** Whether the tailer is alive and has looked at the log within a few seconds. */
  public boolean healthy() {
    return running && tailer != null && tailer.isAlive()
        && lastTick.isAfter(Instant.now().minus(SAFETY_NET.multipliedBy(5)));
  }

  public long lastDeliveredId() {
    return lastId;
  }

  /** Stops delivering and tells every subscriber that the stream has ended. */
  @Override
  public void close() {
    running = false;
    subscriptions.forEach(Subscription::end);
    if (tailer != null) {
      tailer.interrupt();
      try {
        tailer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
