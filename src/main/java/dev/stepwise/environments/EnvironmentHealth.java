package dev.stepwise.environments;

import java.time.Instant;

/**
 * What this node last saw of an environment: the last successful connection and its round trip,
 * the last error, how many of this node's steps run there now. Thread-safe.
 */
public final class EnvironmentHealth {
  private Instant lastOkAt;
  private Long rttMillis;
  private String lastError;
  private Instant lastErrorAt;
  private int busy;

  /** A step started running there. */
  public synchronized void started() {
    busy++;
  }

  /** A step that ran there ended. */
  public synchronized void finished() {
    busy--;
  }

  /** A connection or a command succeeded; {@code rttMillis} is its round trip, or {@code null} if not measured. */
  public synchronized void ok(Instant at, Long rttMillis) {
    this.lastOkAt = at;
    if (rttMillis != null) this.rttMillis = rttMillis;
    this.lastError = null;
    this.lastErrorAt = null;
  }

  public synchronized void failed(Instant at, String error) {
    this.lastError = error;
    this.lastErrorAt = at;
  }

  /** A copy of what was seen. */
  public synchronized Seen seen() {
    return new Seen(lastOkAt, rttMillis, lastError, lastErrorAt, busy);
  }

  /** What was seen; reachable when the last attempt succeeded. */
  public record Seen(Instant lastOkAt, Long rttMillis, String lastError, Instant lastErrorAt, int busy) {
    public boolean reachable() {
      return lastError == null && lastOkAt != null;
    }
  }
}
