package dev.stepwise.events;

import dev.stepwise.store.StoreUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the transitions of many executions that settle at about the same moment share one
 * transaction: application-level group commit. Whoever hands in work waits while one committer
 * runs everything handed in since its last commit in a single transaction, each work with its own
 * {@link EventLog.Tx}, still compare-and-set on its own rows, with the events of all appended
 * under one append lock and one NOTIFY. Nothing waits on purpose: when the database is idle a work
 * commits alone at once, and work arriving during a commit forms the next group, so groups grow
 * with the load.
 *
 * <p>When one work fails (a lost lease, a cancel that arrived, a deadlock) the shared transaction
 * rolls back and every work of the group runs again alone, so a lost race fails only its own work.
 * Hence every work handed in must be safe to run twice: no effects outside its transaction. When
 * the database itself goes away nothing runs again, since the commit may have happened: every
 * caller of the group gets the {@link StoreUnavailable}, as it would alone. Thread-safe.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** Most works in one transaction: a group stays short even when thousands settle at once. */
  static final int MAX_GROUP = 512;

  private final EventLog eventLog;
  private final LinkedBlockingQueue<Item<?>> queue = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private final Thread committer;

  private record Item<T>(EventLog.Work<T> work, CompletableFuture<T> done) {
    @SuppressWarnings("unchecked")
    void complete(Object value) {
      done.complete((T) value);
    }
  }

  public GroupCommit(EventLog eventLog) {
    this.eventLog = eventLog;
    this.committer = Thread.ofPlatform().daemon().name("group-commit").start(this::commitLoop);
  }

  /**
   * Runs {@code work} in a transaction it may share with other work and returns its result once
   * that transaction committed; throws what it threw, as {@link EventLog#transact} does.
   */
  public <T> T transact(EventLog.Work<T> work) {
    if (!running) return eventLog.transact(work);
    var item = new Item<>(work, new CompletableFuture<T>());
    queue.add(item);
    if (!running && queue.remove(item)) return eventLog.transact(work); // closed meanwhile
    try {
      return item.done().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) throw failure;
      if (e.getCause() instanceof Error error) throw error;
      throw e;
    }
  }

  /** Work handed in and not yet taken by the committer: for tests that build a group on purpose. */
  int queued() {
    return queue.size();
  }

  private void commitLoop() {
    List<Item<?>> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        Item<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        log.error("group commit failed unexpectedly", e);
        group.forEach(item -> item.done().completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Item<?>> group) {
    if (group.size() == 1) {
      alone(group.getFirst());
      return;
    }
    List<Object> results;
    try {
      results = eventLog.transactAll(group.stream().map(Item::work).toList());
    } catch (StoreUnavailable e) {
      // the database went away: whether the commit happened is unknown, so nothing runs again here;
      // each caller learns it as it would alone (the engine's own transitions try again until stored)
      group.forEach(item -> item.done().completeExceptionally(e));
      return;
    } catch (RuntimeException e) {
      // one work's failure rolled back all: each runs again alone, so only its own fails
      group.forEach(this::alone);
      return;
    }
    for (int i = 0; i < group.size(); i++) group.get(i).complete(results.get(i));
  }

  private void alone(Item<?> item) {
    try {
      item.complete(eventLog.transact(item.work()));
    } catch (RuntimeException | Error e) {
      item.done().completeExceptionally(e);
    }
  }

  /** Commits what was handed in, then stops grouping: later work commits alone. */
  @Override
  public void close() {
    running = false; // the committer commits what is queued, then stops
    try {
      committer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
