package dev.stepwise.orchestrator;

import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims work when woken (a submit, an approval, a finished step, a peer's NOTIFY) and, as a
 * safety net only, once a second; runs each claimed execution on a virtual thread within the
 * node's worker slots. Thread-safe.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final Duration SAFETY_NET = Duration.ofSeconds(1);

  private final EngineContext engine;
  private final Environment environment;
  private final Duration leaseTtl;
  private final Clock clock;
  private final Semaphore slots;
  private final Semaphore wake = new Semaphore(0);
  private final AtomicReference<Instant> lastDispatch = new AtomicReference<>();
  private volatile Instant lastTick = Instant.EPOCH;
  private volatile Instant nextDue;
  private volatile boolean running;
  private Thread loop;

  Dispatcher(EngineContext engine, Environment environment, Duration leaseTtl, Clock clock, Semaphore slots) {
    this.engine = engine;
    this.environment = environment;
    this.leaseTtl = leaseTtl;
    this.clock = clock;
    this.slots = slots;
  }

  Dispatcher start() {
    running = true;
    lastTick = Instant.now();
    loop = Thread.ofPlatform().daemon().name("dispatcher").start(this::loop);
    return this;
  }

  void wake() {
    wake.release();
  }

  private void loop() {
    while (running) {
      try {
        if (wake.tryAcquire(waitMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
        lastTick = Instant.now();
        if (running) dispatchAvailable();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StoreUnavailable e) {
        log.debug("dispatch waits for the database: {}", e.reason()); // the outage itself is logged once
      } catch (RuntimeException e) {
        log.warn("dispatch failed: {}", e.toString());
      }
    }
  }

  /** Until the next retry falls due, or the safety-net interval, whichever is sooner. */
  private long waitMillis() {
    Instant now = clock.instant();
    Instant due = nextDue;
    if (due == null || !due.isAfter(now)) return SAFETY_NET.toMillis();
    return Math.max(1, Math.min(SAFETY_NET.toMillis(), java.time.Duration.between(now, due).toMillis()));
  }

  private void dispatchAvailable() {
    while (running) {
      int free = slots.availablePermits();
      if (free == 0) return;
      List<Lease> leases = claim(free);
      for (Lease lease : leases) {
        slots.acquireUninterruptibly();
        Thread.ofVirtual().name("execution-" + lease.executionId()).start(() -> {
          try {
            new Slice(engine, lease).run();
          } finally {
            slots.release();
            wake();
          }
        });
      }
      if (!leases.isEmpty()) lastDispatch.set(clock.instant());
      if (leases.size() < free) {
        nextDue = engine.executions().db().reads().withHandle(h -> Leases.nextDue(h, clock.instant())).orElse(null);
        return;
      }
    }
  }

  private List<Lease> claim(int limit) {
    return engine.log().transact(tx -> {
      Instant now = tx.now();
      List<Lease> leases = Leases.claim(tx.handle(), engine.executions().db().dialect(), engine.nodeId(), limit, now,
          leaseTtl, environment.labels());
      for (Lease lease : leases) {
        if (lease.firstStart()) {
          ExecutionEvents.started(tx, lease.executionId(), lease.name(), lease.kind(), engine.nodeId(), environment.name());
        }
      }
      return leases;
    });
  }

  Instant lastDispatchAt() {
    return lastDispatch.get();
  }

  boolean healthy() {
    return running && loop != null && loop.isAlive() && lastTick.isAfter(Instant.now().minus(SAFETY_NET.multipliedBy(5)));
  }

  boolean running() {
    return running && loop != null && loop.isAlive();
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
