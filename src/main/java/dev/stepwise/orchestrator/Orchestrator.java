package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.events.Signals;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StartAtOnce;
import dev.stepwise.plans.StoredPlans;
import dev.stepwise.runners.Runners;
import dev.stepwise.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on one node: recovery at start, the dispatcher, lease heartbeats, the reaper and
 * approval expiry, cancellation of what runs here, and a graceful stop. Thread-safe.
 */
public final class Orchestrator implements AutoCloseable, StartAtOnce {
  private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
  /** How long the steps that outlive the grace period get to stop once they are interrupted. */
  private static final java.time.Duration STOPPING = java.time.Duration.ofSeconds(10);

  /**
   * Settings of the engine on this node.
   *
   * @param outputCapBytes how much of one step's output is kept; also the longest line kept whole
   * @param eventLineBytes the longest line a live {@code step.output} event carries (longer ones are cut there)
   * @param labels the labels of this node's {@code local} environment
   * @param workRoot where executions get their working directories
   */
  public record Settings(int workers, Duration leaseTtl, Duration shutdownGrace, Duration stepTimeout,
      long outputCapBytes, int eventLineBytes, java.nio.file.Path workRoot, java.util.List<String> labels) {}

  /** What the engine works with: the store, the runners, and how plans are loaded. */
  public record Parts(EventLog log, Executions executions, StoredPlans plans, Runners runners, Signals signals) {}

  /**
   * Builds the engine of this node; {@link #start} sets it going.
   *
   * @param stepListeners told of every step's final outcome
   */
  public static Orchestrator create(Settings settings, Parts parts, String nodeId,
      java.util.List<StepListener> stepListeners) {
    var log = parts.log();
    var signals = parts.signals();
    var engine = new EngineContext(log, parts.executions(), parts.runners(), parts.plans(), nodeId,
        settings.workRoot(), settings.stepTimeout(),
        new StepOutput.Limits(settings.outputCapBytes(), settings.eventLineBytes()), new RunningExecutions(),
        java.util.List.copyOf(stepListeners),
        new Workers(settings.workers(), new Prefetch(settings.workers())));
    return new Orchestrator(engine, settings, new Environment("local", settings.labels(), settings.workers()),
        log.clock(), signals);
  }

  private final EngineContext engine;
  private final Settings settings;
  private final Environment environment;
  private final Clock clock;
  /** The executions this node works on at once: its workers' and a prefetch waiting for them. */
  private final Semaphore slices;
  private final int sliceLimit;
  private final ScheduledExecutorService jobs;
  private volatile Dispatcher dispatcher;
  private volatile Instant startedAt;

  Orchestrator(EngineContext engine, Settings settings, Environment environment, Clock clock, Signals signals) {
    this.engine = engine;
    this.settings = settings;
    this.environment = environment;
    this.clock = clock;
    this.sliceLimit = settings.workers() + engine.workers().mostPrefetch();
    this.slices = new Semaphore(sliceLimit);
    this.jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("engine-jobs").factory());
    signals.on(Signals.Channel.DISPATCH, payload -> wake());
    engine.workers().onFree(this::wake);
    signals.on(Signals.Channel.CANCEL, payload -> {
      try {
        engine.running().cancel(Long.parseLong(payload));
      } catch (NumberFormatException ignored) {
        // not ours
      }
    });
  }

  /** Settles what this node's previous process left running, then starts dispatching. */
  public Orchestrator start() {
    var reaper = new ReapExpiredLeases(engine, settings.leaseTtl());
    int recovered = reaper.rescue(engine.nodeId());
    if (recovered > 0) log.info("recovered {} execution(s) left running by this node's previous process", recovered);
    dispatcher = new Dispatcher(engine, environment, settings.leaseTtl(), clock, slices, this::wake).start();
    long heartbeat = Math.max(200, settings.leaseTtl().toMillis() / 3);
    jobs.scheduleWithFixedDelay(guarded("heartbeat", this::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    jobs.scheduleWithFixedDelay(guarded("reaper", reaper), 1000, 1000, TimeUnit.MILLISECONDS);
    jobs.scheduleWithFixedDelay(guarded("approval expiry", new ExpireApprovals(engine)), 1000, 1000, TimeUnit.MILLISECONDS);
    jobs.scheduleWithFixedDelay(guarded("deadline expiry", new ExpireDeadlines(engine)), 1000, 1000, TimeUnit.MILLISECONDS);
    startedAt = clock.instant();
    dispatcher.wake();
    return this;
  }

  private static Runnable guarded(String name, Runnable job) {
    return () -> {
      try {
        job.run();
      } catch (StoreUnavailable e) {
        log.debug("{} waits for the database: {}", name, e.reason()); // the outage itself is logged once
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", name, e.toString());
      }
    };
  }

  /**
   * Renews the lease of each execution a slice here is running, fence by fence. A lease that no
   * longer renews was taken over (this node stalled past its expiry): its step is stopped at once,
   * and the slice, fenced off, writes nothing more.
   */
  private void heartbeat() {
    for (Lease lease : engine.running().leases()) {
      boolean renewed;
      try {
        renewed = engine.executions().db().jdbi().withHandle(h ->
            Leases.renew(h, engine.executions().db().dialect(), lease, settings.leaseTtl()));
      } catch (StoreUnavailable e) {
        throw e; // the database is away: none renews now (logged once by the store)
      } catch (RuntimeException e) {
        log.warn("execution {}: could not renew its lease now ({}); the next heartbeat tries again",
            lease.executionId(), e.toString());
        continue; // one failure does not keep the others from being renewed
      }
      // a slice that gave its lease back has ended, or is about to: only one still running under it is stopped
      if (!renewed && takenOver(lease) && engine.running().cancel(lease)) {
        log.warn("execution {}: lost its lease to another holder; its step here is stopped", lease.executionId());
      }
    }
  }

  /**
   * Whether a lease that did not renew was taken by another holder (its fence moved on), rather
   * than given up by its own slice, which ended or parked the execution just before the heartbeat.
   */
  private boolean takenOver(Lease lease) {
    Long fence = engine.executions().db().reads().withHandle(h -> h.createQuery("SELECT fence FROM executions WHERE id = :id")
        .bind("id", lease.executionId()).mapTo(Long.class).findOne().orElse(null));
    return fence == null || fence != lease.fence();
  }

  /** Looks for work now. */
  public void wake() {
    Dispatcher current = dispatcher;
    if (current != null) current.wake();
  }

  /** A chance to start a submitted execution as it is queued; none while dispatching is paused or stopped. */
  @Override
  public java.util.Optional<StartAtOnce.Chance> offer() {
    Dispatcher current = dispatcher;
    return current == null ? java.util.Optional.empty() : current.offer();
  }

  /** Stops and starts the dispatcher; running executions go on, queued ones lose nothing. */
  public synchronized void restart() {
    Dispatcher old = dispatcher;
    if (old != null) old.close();
    dispatcher = new Dispatcher(engine, environment, settings.leaseTtl(), clock, slices, this::wake).start();
    dispatcher.wake();
    log.info("dispatcher restarted");
  }

  /** Stops claiming new work (running executions go on); for maintenance and benchmarks. */
  public synchronized void pause() {
    Dispatcher old = dispatcher;
    if (old != null) old.close();
  }

  /** Claims work again after {@link #pause}. */
  public synchronized void resume() {
    restart();
  }

  /** This node's engine as {@code /health} and the metrics show it. */
  public record Status(boolean running, boolean healthy, String nodeId, int workers, int busy,
      Instant lastDispatchAt, Environment environment) {}

  public Status status() {
    Dispatcher current = dispatcher;
    return new Status(current != null && current.running(), current != null && current.healthy(), engine.nodeId(),
        settings.workers(), engine.workers().busy(),
        current == null ? null : current.lastDispatchAt(), environment);
  }

  /** Stops claiming, gives running steps the grace period, then stops them; restart recovers them. */
  @Override
  public void close() {
    Dispatcher current = dispatcher;
    if (current != null) current.close();
    try {
      // heartbeats go on meanwhile, so that no peer takes over what still runs here
      if (!slices.tryAcquire(sliceLimit, settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("{} execution(s) still running at shutdown; they resume after restart", engine.running().count());
        engine.running().interruptAll();
        // their runners stop what the steps started (here, or on a remote machine over a connection that closes
        // after this): give them that long
        if (slices.tryAcquire(sliceLimit, STOPPING.toMillis(), TimeUnit.MILLISECONDS)) slices.release(sliceLimit);
      } else {
        slices.release(sliceLimit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      jobs.shutdownNow();
    }
  }
}
