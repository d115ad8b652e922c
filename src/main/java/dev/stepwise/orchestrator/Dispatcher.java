package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.StartAtOnce;
import dev.stepwise.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims work when woken (a submit, an approval, a finished step, a peer's NOTIFY) and, as a
 * safety net only, once a second; runs each claimed execution on a virtual thread, up to the
 * node's limit of executions at once (its workers and a prefetch). Thread-safe.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final Duration SAFETY_NET = Duration.ofSeconds(1);

  private final EngineContext engine;
  private final Environment environment;
  private final Duration leaseTtl;
  private final Clock clock;
  private final Semaphore slices;
  private final Runnable wakeCurrent;
  private final Semaphore wake = new Semaphore(0);
  private final AtomicReference<Instant> lastDispatch = new AtomicReference<>();
  private volatile Instant lastTick = Instant.EPOCH;
  private volatile Instant nextDue;
  private volatile boolean running;
  private Thread loop;

  /**
   * @param slices the executions this node may work on at once: its workers and its largest prefetch
   * @param wakeCurrent wakes the node's dispatcher of the moment, once a slice ends
   */
  Dispatcher(EngineContext engine, Environment environment, Duration leaseTtl, Clock clock, Semaphore slices,
      Runnable wakeCurrent) {
    this.engine = engine;
    this.wakeCurrent = wakeCurrent;
    this.environment = environment;
    this.leaseTtl = leaseTtl;
    this.clock = clock;
    this.slices = slices;
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
      // the slices are taken before claiming, since a submit may take one meanwhile (offer): each
      // execution claimed keeps one, the rest go back
      int free = reserve(claimable());
      if (free == 0) return;
      List<Leases.Claim> claims = List.of();
      try {
        claims = claim(free);
      } finally {
        slices.release(free - claims.size());
      }
      for (Leases.Claim claim : claims) run(claim);
      if (!claims.isEmpty()) lastDispatch.set(clock.instant());
      if (claims.size() < free) {
        nextDue = engine.executions().db().reads().withHandle(h -> Leases.nextDue(h, clock.instant())).orElse(null);
        return;
      }
    }
  }

  /** Takes up to {@code wanted} of the slices now; returns how many it took. */
  private int reserve(int wanted) {
    int reserved = 0;
    while (reserved < wanted && slices.tryAcquire()) reserved++;
    return reserved;
  }

  /**
   * Runs a claimed execution on a virtual thread; it holds one of the {@code slices}, given back when
   * it ends, and then wakes whichever dispatcher claims by then (this one may have been restarted).
   */
  private void run(Leases.Claim claim) {
    Thread.ofVirtual().name("execution-" + claim.lease().executionId()).start(() -> {
      var slice = new Slice(engine, claim);
      try {
        slice.run();
      } finally {
        if (!slice.neededWorker()) engine.workers().endedWithout();
        slices.release();
        wakeCurrent.run();
      }
    });
  }

  /**
   * A chance to start an execution in the transaction that queues it: while this dispatcher claims,
   * a worker is free and the node may work on one more execution, which the chance holds until it
   * ends.
   */
  Optional<StartAtOnce.Chance> offer() {
    if (!running || claimable() == 0 || !slices.tryAcquire()) return Optional.empty();
    return Optional.of(new Chance());
  }

  private final class Chance implements StartAtOnce.Chance {
    private Leases.Claim taken;

    @Override
    public boolean take(EventLog.Tx tx, long executionId) {
      taken = Leases.takeJustQueued(tx.handle(), engine.executions().db().dialect(), engine.nodeId(), executionId,
          tx.now(), leaseTtl, environment.labels()).orElse(null);
      if (taken != null) started(tx, taken.lease());
      return taken != null;
    }

    @Override
    public void committed() {
      if (taken == null) {
        slices.release();
        return;
      }
      lastDispatch.set(clock.instant());
      run(taken);
    }

    @Override
    public void failed(Throwable failure) {
      if (taken != null && failure instanceof StoreUnavailable) {
        // the database went away during the commit, which may have happened: the slice runs, and
        // its first write finds out (an execution that was never stored fails its fence check)
        committed();
        return;
      }
      slices.release();
    }
  }

  /**
   * How many executions to claim now: none while every worker is busy (so that what is queued waits
   * in the shared queue, in priority order, where any node can take it), else the free workers and
   * a prefetch ({@link Prefetch}), within the limit of executions at once. The prefetched wait here
   * for a worker to run a step; their noop steps pass without one.
   */
  private int claimable() {
    Workers workers = engine.workers();
    int free = workers.free();
    if (free == 0) return 0;
    int prefetch = workers.prefetch();
    // those held here already count: the limit of executions at once is the largest prefetch's
    int held = workers.count() + workers.mostPrefetch() - slices.availablePermits();
    return Math.max(0, Math.min(free + prefetch, workers.count() + prefetch - held));
  }

  /** Claims in a transaction it may share with the transitions settling at the same moment: one commit for both. */
  private List<Leases.Claim> claim(int limit) {
    return engine.log().transactShared(tx -> {
      Instant now = tx.now();
      List<Leases.Claim> claims = Leases.claim(tx.handle(), engine.executions().db().dialect(), engine.nodeId(), limit,
          now, leaseTtl, environment.labels());
      for (Leases.Claim claim : claims) started(tx, claim.lease());
      return claims;
    });
  }

  private void started(EventLog.Tx tx, Lease lease) {
    if (lease.firstStart()) {
      tx.append(ExecutionEvents.started(lease.executionId(), lease.name(), lease.kind(), engine.nodeId(),
          environment.name()));
    }
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
