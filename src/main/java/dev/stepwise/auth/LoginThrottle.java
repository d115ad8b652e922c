package dev.stepwise.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing per account: after {@code maxFailures} failed logins for one username
 * (existing or not, so that the answer reveals nothing), further attempts are refused until the
 * lockout has passed. Bounded in memory. Thread-safe.
 */
public final class LoginThrottle {
  private static final int MAX_TRACKED = 100_000;

  private final int maxFailures;
  private final Duration lockout;
  private final Clock clock;
  private final Map<String, Attempts> attempts = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private record Attempts(int failures, int inFlight, Instant lockedUntil) {}

  public LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
    this.maxFailures = maxFailures;
    this.lockout = lockout;
    this.clock = clock;
  }

  /**
   * Reserves one attempt for {@code username}, atomically: attempts in flight count against the
   * limit, so parallel guesses cannot slip past it. Returns how long to wait when the account is
   * locked (or every remaining attempt is already in flight); otherwise the caller must report the
   * attempt's result with {@link #recordFailure} or {@link #recordSuccess}.
   */
  public synchronized Optional<Duration> tryAcquire(String username) {
    Instant now = clock.instant();
    Attempts current = attempts.getOrDefault(username, new Attempts(0, 0, null));
    if (current.lockedUntil() != null) {
      Duration left = Duration.between(now, current.lockedUntil());
      if (left.isPositive()) return Optional.of(left);
      current = new Attempts(0, current.inFlight(), null);
    }
    if (current.failures() + current.inFlight() >= maxFailures) return Optional.of(Duration.ofSeconds(1));
    attempts.put(username, new Attempts(current.failures(), current.inFlight() + 1, null));
    return Optional.empty();
  }

  public synchronized void recordFailure(String username) {
    Attempts current = attempts.getOrDefault(username, new Attempts(0, 1, null));
    int failures = current.failures() + 1;
    Instant lockedUntil = failures >= maxFailures ? clock.instant().plus(lockout) : null;
    attempts.put(username, new Attempts(failures, Math.max(0, current.inFlight() - 1), lockedUntil));
  }

  /** Gives back a reserved attempt that produced no result (the store failed, say). */
  public synchronized void release(String username) {
    Attempts current = attempts.get(username);
    if (current != null) {
      attempts.put(username, new Attempts(current.failures(), Math.max(0, current.inFlight() - 1), current.lockedUntil()));
    }
  }

  public synchronized void recordSuccess(String username) {
    Attempts current = attempts.get(username);
    if (current == null || current.inFlight() <= 1) attempts.remove(username);
    else attempts.put(username, new Attempts(0, current.inFlight() - 1, null));
  }
}
