package dev.stepwise.events;

import dev.stepwise.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans committed events out to this node's subscribers, in id order, exactly once per subscriber,
 * whoever wrote them. One tailer thread delivers them. This node's transactions hand it their
 * events with their ids as they commit ({@link #committed}), and it delivers those without reading
 * them back while they follow the last id it delivered. It reads the log after that id whenever
 * they do not (a peer's or another local transaction's events came between), when a peer's NOTIFY
 * signals, and when it has not read it for a second. Thread-safe.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private static final Duration SAFETY_NET = Duration.ofSeconds(1);
  private static final int BATCH = 1000;
  public static final int DEFAULT_CAPACITY = 10_000;

  private final Events events;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  /** Events this node committed, a transaction's at a time, not yet delivered. */
  private final ConcurrentLinkedQueue<List<Event>> handed = new ConcurrentLinkedQueue<>();
  /** Whether the log must be read: a peer appended, or this node lost touch with its peers. */
  private final AtomicBoolean readLog = new AtomicBoolean();
  /** When the tailer last read the log ({@link System#nanoTime}); only the tailer uses it. */
  private long lastRead;
  private volatile boolean running;
  private volatile long lastId;
  private volatile long logReads;
  private volatile Instant lastTick = Instant.EPOCH;
  private volatile Thread tailer;

  public EventBus(Events events, Signals signals) {
    this.events = events;
    signals.on(Signals.Channel.EVENTS, payload -> {
      readLog.set(true);
      wake.release();
    });
  }

  /**
   * The events one transaction of this node appended, in id order, with their ids, once it
   * committed: delivered without reading them back when nothing came between.
   */
  public void committed(List<Event> events) {
    Thread delivering = tailer;
    if (events.isEmpty() || delivering == null || !delivering.isAlive()) return; // no one to deliver them: they are in the log
    handed.add(events);
    wake.release();
  }

  public EventBus start() {
    lastId = events.maxId();
    lastRead = System.nanoTime() - SAFETY_NET.toNanos(); // the first pass reads the log
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
        boolean read = readLog.getAndSet(false) || System.nanoTime() - lastRead >= SAFETY_NET.toNanos();
        if (!deliverHanded() || read) deliverNew();
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

  /**
   * Delivers the events handed over, in id order, while each follows the last delivered; those
   * delivered already (read from the log) are skipped. Returns false at the first gap: what came
   * between is in the log, and so is everything handed over, which committed before it was.
   */
  private boolean deliverHanded() {
    List<List<Event>> batches = new ArrayList<>();
    for (List<Event> batch; (batch = handed.poll()) != null; ) batches.add(batch);
    batches.sort(Comparator.comparingLong(batch -> batch.getFirst().id()));
    for (List<Event> batch : batches) {
      for (Event event : batch) {
        if (event.id() <= lastId) continue;
        if (event.id() != lastId + 1) return false;
        deliver(event);
      }
    }
    return true;
  }

  private void deliver(Event event) {
    for (Subscription subscription : subscriptions) subscription.offer(event);
    lastId = event.id();
  }

  private void deliverNew() {
    lastRead = System.nanoTime();
    while (true) {
      logReads++; // only the tailer writes it
      List<Event> batch = events.after(lastId, TopicFilter.all(), BATCH);
      batch.forEach(this::deliver);
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

  /** How many times the tailer has read the log. */
  long logReads() {
    return logReads;
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
