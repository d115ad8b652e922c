package dev.stepwise.agents.runtime;

import dev.stepwise.events.EventLog;
import java.time.Clock;

/**
 * Sends streamed model output as {@code agent_thinking} deltas, batched: one event per
 * {@link #INTERVAL_MS} or {@link #MAX_CHARS}, whichever comes first, so that a fast model costs a
 * few events a second, not one per token. Called from the model client's thread; thread-safe.
 */
final class DeltaStream {
  static final long INTERVAL_MS = 100;
  static final int MAX_CHARS = 2048;

  private final EventLog log;
  private final AgentRun run;
  private final int turn;
  private final Clock clock;
  private final java.util.function.Consumer<org.jdbi.v3.core.Handle> fence;
  private final StringBuilder pending = new StringBuilder();
  private long lastFlush;
  private boolean any;
  private boolean closed;

  /** @param fence checked in each write, like every write of the run */
  DeltaStream(EventLog log, AgentRun run, int turn, java.util.function.Consumer<org.jdbi.v3.core.Handle> fence) {
    this.fence = fence;
    this.log = log;
    this.run = run;
    this.turn = turn;
    this.clock = log.clock();
    this.lastFlush = clock.millis();
  }

  synchronized void accept(String delta) {
    if (closed) return; // a late piece from a model that timed out or was cancelled
    pending.append(delta);
    any = true;
    if (pending.length() >= MAX_CHARS || clock.millis() - lastFlush >= INTERVAL_MS) flush();
  }

  /** Sends what is pending; nothing that arrives afterwards is sent. */
  synchronized void close() {
    flush();
    closed = true;
  }

  private void flush() {
    if (pending.isEmpty()) return;
    String content = pending.toString();
    pending.setLength(0);
    lastFlush = clock.millis();
    log.transact(tx -> {
      fence.accept(tx.handle());
      AgentEvents.thinking(tx, run, turn, content, true);
      return null;
    });
  }

  /** Whether any output was streamed. */
  synchronized boolean streamed() {
    return any;
  }
}
