package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.Steps;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.Secrets;
import dev.stepwise.store.StoreUnavailable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Collects a step's output: masks secret values first (a line is cut only after it is masked),
 * keeps each line whole in the step's log up to the output cap (then a marker and nothing more),
 * keeps the tail for the step's summary, and every 200 ms writes what arrived to the log together
 * with a {@code step.output} event, whose lines are cut at the live line limit with a marker.
 *
 * <p>A database that cannot be reached delays the writes (the lines wait, within the cap); a
 * database that cannot store them (a full disk) stops the step, and {@link #storageFailure} says
 * why. Thread-safe.
 */
final class StepOutput implements OutputSink, AutoCloseable {
  private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  private static final int TAIL_CHARS = 4000;

  /**
   * Output limits of one step.
   *
   * @param capBytes how much of the step's output its log keeps
   * @param eventLineChars the longest line a live {@code step.output} event carries
   */
  record Limits(long capBytes, int eventLineChars) {}

  private final EventLog log;
  private final Lease lease;
  private final Runnable stopStep;
  private final long executionId;
  private final int step;
  private final Secrets secrets;
  private final Limits limits;
  private final List<String> pending = new ArrayList<>();
  private final Deque<String> tail = new ArrayDeque<>();
  private int tailChars;
  private long storedBytes;
  private boolean truncated;
  private final Thread flusher;
  private final Object writing = new Object();
  private volatile boolean open = true;
  private volatile boolean fenced;
  private volatile StoreUnavailable storageFailure;
  /** Names this writer's chunks, so that a retried write is recognised: the writer, then a counter. */
  private final String writer = java.util.UUID.randomUUID().toString();
  private long chunks;
  private List<String> inFlight;

  /** @param stopStep stops the step: its lease was lost, or its output cannot be stored */
  StepOutput(EventLog log, Lease lease, int step, Secrets secrets, Limits limits, Runnable stopStep) {
    this.log = log;
    this.lease = lease;
    this.stopStep = stopStep;
    this.executionId = lease.executionId();
    this.step = step;
    this.secrets = secrets;
    this.limits = limits;
    this.flusher = Thread.ofVirtual().name("output-" + executionId + "-" + step).start(this::flushPeriodically);
  }

  @Override
  public int lineLimit() {
    return (int) Math.min(limits.capBytes(), Integer.MAX_VALUE - 64);
  }

  @Override
  public void line(String raw) {
    keep(secrets.mask(raw));
  }

  @Override
  public void cutLine(String start, long dropped) {
    keep(secrets.maskCut(start) + " [line cut: " + dropped + " more characters not kept]");
  }

  private void keep(String line) {
    if (!open) return; // a process that outlived its step has nothing more to add to it
    synchronized (this) {
      remember(forEvent(line));
      if (truncated || storageFailure != null) return;
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      if (storedBytes + bytes.length > limits.capBytes()) {
        // what fits of this line is kept (it is masked already), then the marker
        truncated = true;
        int room = (int) Math.max(0, limits.capBytes() - storedBytes - 1);
        String fitting = new String(bytes, 0, Math.min(room, bytes.length), StandardCharsets.UTF_8).replace("\uFFFD", "");
        if (!fitting.isBlank()) pending.add(fitting.stripTrailing());
        pending.add("[output truncated: more than " + limits.capBytes() + " bytes; the rest was not kept]");
        return;
      }
      storedBytes += bytes.length;
      pending.add(line);
    }
  }

  /** A masked line as a live event carries it: cut at the limit, saying how much more the log has. */
  private String forEvent(String line) {
    int limit = limits.eventLineChars();
    if (line.length() <= limit) return line;
    return line.substring(0, limit) + " [line cut: " + (line.length() - limit) + " more characters in the step's log]";
  }

  private void remember(String line) {
    tail.addLast(line);
    tailChars += line.length() + 1;
    while (tailChars > TAIL_CHARS && tail.size() > 1) tailChars -= tail.removeFirst().length() + 1;
  }

  /** The last few KB of output, for the step's summary. */
  synchronized String tail() {
    return tail.isEmpty() ? null : String.join("\n", tail);
  }

  /** Why the step's output could not be stored, if it could not (the step was then stopped). */
  Optional<StoreUnavailable> storageFailure() {
    return Optional.ofNullable(storageFailure);
  }

  private void flushPeriodically() {
    // parked, not slept: close() wakes it without an interrupt, which would abort a write in progress
    while (open) {
      java.util.concurrent.locks.LockSupport.parkNanos(FLUSH_EVERY.toNanos());
      if (open) tryFlush();
    }
  }

  /** Writes what is pending; an unreachable database leaves it pending for the next attempt. */
  private void tryFlush() {
    try {
      flush();
    } catch (StoreUnavailable e) {
      // the lines stay pending; the next flush tries again
    }
  }

  /** Writes what is pending, once; throws {@link StoreUnavailable} when the database cannot be reached. */
  void flush() {
    synchronized (writing) { // one write at a time, so lines are stored in the order they came
      List<String> lines;
      synchronized (this) {
        if (pending.isEmpty() || fenced || storageFailure != null) return;
        // a write whose answer was lost is tried again as it was, under its key: never with more lines
        lines = inFlight != null ? inFlight : List.copyOf(pending);
        inFlight = lines;
      }
      write(lines);
      synchronized (this) {
        pending.subList(0, lines.size()).clear();
        inFlight = null;
      }
    }
  }

  /** Writes what is pending, waiting out an unreachable database; for the end of the step. */
  void flushUntilStored() throws InterruptedException {
    var backoff = new UntilStored.Backoff();
    while (true) {
      try {
        flush(); // after a lost answer this writes only that chunk again: the lines after it still wait
        if (!somethingToWrite()) {
          backoff.recovered(executionId, "step " + step + "'s output");
          return;
        }
      } catch (StoreUnavailable e) {
        backoff.pause(executionId, "step " + step + "'s output", e);
      }
    }
  }

  private synchronized boolean somethingToWrite() {
    return !pending.isEmpty() && !fenced && storageFailure == null;
  }

  private void write(List<String> lines) {
    String key = writer + ":" + chunks;
    try {
      log.transact(tx -> {
        Leases.guard(tx.handle(), lease);
        if (Steps.appendOutput(tx.handle(), executionId, step, key, String.join("\n", lines) + "\n")) {
          tx.append(ExecutionEvents.stepOutput(executionId, step, lines.stream().map(this::forEvent).toList()));
        }
        return null;
      });
      chunks++;
    } catch (Fenced e) {
      // another node has taken this execution over: its output is no longer ours to write
      org.slf4j.LoggerFactory.getLogger(StepOutput.class).warn("execution {}: step {}'s output is no longer this "
          + "node's to write (its lease moved on); {} line(s) not stored, the step is stopped", executionId, step,
          lines.size());
      fenced = true;
      stopStep.run();
    } catch (StoreUnavailable e) {
      if (e.kind().connectivity() || e.kind() == StoreUnavailable.Kind.BUSY) throw e;
      // the database is there but cannot keep the output (its disk is full): the step cannot go on
      storageFailure = e;
      stopStep.run();
    }
  }

  @Override
  public void close() {
    open = false;
    java.util.concurrent.locks.LockSupport.unpark(flusher);
    try {
      flusher.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
