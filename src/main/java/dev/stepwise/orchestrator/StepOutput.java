package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.Steps;
import dev.stepwise.runners.OutputSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Collects a step's output: masks secret values, stops storing at a size cap (leaving a marker),
 * keeps the tail for the step's summary, and every 200 ms writes what arrived to the step's log
 * together with a {@code step.output} event. Thread-safe.
 */
final class StepOutput implements OutputSink, AutoCloseable {
  static final String MASK = dev.stepwise.runners.Secrets.MASK;
  private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  private static final int TAIL_CHARS = 4000;
  private static final int MAX_LINE = 8192;

  private final EventLog log;
  private final Lease lease;
  private final Runnable onFenced;
  private volatile boolean fenced;
  private final long executionId;
  private final int step;
  private final dev.stepwise.runners.Secrets secrets;
  private final long capBytes;
  private final List<String> pending = new ArrayList<>();
  private final Deque<String> tail = new ArrayDeque<>();
  private int tailChars;
  private long storedBytes;
  private boolean truncated;
  private final Thread flusher;
  private final Object writing = new Object();
  private volatile boolean open = true;

  /** @param onFenced what to do when the lease turns out to be lost: stop the step */
  StepOutput(EventLog log, Lease lease, int step, dev.stepwise.runners.Secrets secrets, long capBytes,
      Runnable onFenced) {
    this.log = log;
    this.lease = lease;
    this.onFenced = onFenced;
    this.executionId = lease.executionId();
    this.step = step;
    this.secrets = secrets;
    this.capBytes = capBytes;
    this.flusher = Thread.ofVirtual().name("output-" + executionId + "-" + step).start(this::flushPeriodically);
  }

  @Override
  public void line(String raw) {
    String line = mask(raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) + " [line cut]" : raw);
    synchronized (this) {
      remember(line);
      if (truncated) return;
      long bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
      if (storedBytes + bytes > capBytes) {
        truncated = true;
        pending.add("[output truncated: more than " + capBytes + " bytes; the rest was not kept]");
        return;
      }
      storedBytes += bytes;
      pending.add(line);
    }
  }

  String mask(String line) {
    return secrets.mask(line);
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

  private void flushPeriodically() {
    // parked, not slept: close() wakes it without an interrupt, which would abort a write in progress
    while (open) {
      java.util.concurrent.locks.LockSupport.parkNanos(FLUSH_EVERY.toNanos());
      if (open) flush();
    }
  }

  void flush() {
    synchronized (writing) { // one write at a time, so lines are stored in the order they came
      List<String> lines;
      synchronized (this) {
        if (pending.isEmpty()) return;
        lines = List.copyOf(pending);
        pending.clear();
      }
      write(lines);
    }
  }

  private void write(List<String> lines) {
    if (fenced) return;
    try {
      log.transact(tx -> {
        Leases.guard(tx.handle(), lease);
        Steps.appendOutput(tx.handle(), executionId, step, String.join("\n", lines) + "\n");
        ExecutionEvents.stepOutput(tx, executionId, step, lines);
        return null;
      });
    } catch (Fenced e) {
      // another node has taken this execution over: its output is no longer ours to write
      fenced = true;
      onFenced.run();
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
    flush();
  }
}
