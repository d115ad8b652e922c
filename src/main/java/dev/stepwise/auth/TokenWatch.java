package dev.stepwise.auth;

import dev.stepwise.store.StoreUnavailable;
import dev.stepwise.web.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-lived connection (a WebSocket, an SSE stream) honest about its token: the token is
 * checked again every {@link #RECHECK}, and at once when this node revokes the token or changes its
 * user ({@link TokenWatches}); a revoked token, a disabled or deleted user, a changed role made on
 * another node take effect within {@link #RECHECK}. The connection ends the moment the token
 * expires. Both kinds of connection use this one rule. Thread-safe.
 */
public final class TokenWatch {
  public static final Duration RECHECK = Duration.ofSeconds(30);
  private static final Duration WHILE_UNAVAILABLE = Duration.ofSeconds(2);

  private final Authenticator authenticator;
  private final String token;
  private final Clock clock;
  private final long userId;
  private final Long apiTokenId;
  private Caller caller;
  private Instant nextCheck;
  /** A check asked for by {@link #dueNow}; kept apart from the check's lock, so that asking never waits. */
  private volatile boolean checkAsked;
  private final Object asked = new Object();

  public TokenWatch(Authenticator authenticator, String token, Caller caller, Clock clock) {
    this.authenticator = authenticator;
    this.token = token;
    this.caller = caller;
    this.clock = clock;
    this.userId = caller.userId();
    this.apiTokenId = caller.apiTokenId();
    this.nextCheck = clock.instant().plus(RECHECK);
  }

  /** Whose token this is: read without waiting for a check in progress. */
  long userId() {
    return userId;
  }

  /** The API token's id, or {@code null} for a session token. */
  Long apiTokenId() {
    return apiTokenId;
  }

  /** The token's time is up. */
  public static final class Expired extends ApiError {
    Expired() {
      super(401, "UNAUTHENTICATED", "the token has expired; reconnect with a fresh one");
    }
  }

  /** The caller as of the last check. */
  public synchronized Caller caller() {
    return caller;
  }

  /** How long until the next check is due: the recheck interval, or the token's expiry when sooner. */
  public synchronized Duration untilDue() {
    if (checkAsked) return Duration.ZERO;
    Instant now = clock.instant();
    Instant due = caller.expiresAt() != null && caller.expiresAt().isBefore(nextCheck) ? caller.expiresAt() : nextCheck;
    return due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
  }

  /**
   * Makes a check due now, and wakes {@link #awaitDue}. Never waits for a check in progress (which
   * may be reading the database): one asked for meanwhile is made again after it.
   */
  public void dueNow() {
    checkAsked = true;
    synchronized (asked) {
      asked.notifyAll();
    }
  }

  /** Waits until a check is due, or at most {@code atMost}. */
  public void awaitDue(Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      long remaining = Math.min(untilDue().toNanos(), deadline - System.nanoTime());
      if (remaining <= 0) return;
      synchronized (asked) {
        if (checkAsked) return; // asked after untilDue() looked: the notify came before this wait
        TimeUnit.NANOSECONDS.timedWait(asked, remaining);
      }
    }
  }

  /** Checks the token now if a check is due; see {@link #checkNow}. */
  public synchronized Caller checkIfDue() {
    return untilDue().isZero() ? checkNow() : caller;
  }

  /**
   * Checks the token and the user as they stand now.
   *
   * @throws ApiError 401 when the token has expired or no longer holds (revoked, user disabled or deleted)
   * @throws StoreUnavailable when the database cannot tell; the next check is then due in a moment
   */
  public synchronized Caller checkNow() {
    checkAsked = false; // a check asked for from here on sees what this one may have missed
    if (caller.expiresAt() != null && !clock.instant().isBefore(caller.expiresAt())) throw new Expired();
    try {
      caller = authenticator.authenticate(token);
      nextCheck = clock.instant().plus(RECHECK);
      return caller;
    } catch (StoreUnavailable e) {
      // the token cannot be checked while the database is away: try again soon, not at once
      nextCheck = clock.instant().plus(WHILE_UNAVAILABLE);
      throw e;
    }
  }
}
