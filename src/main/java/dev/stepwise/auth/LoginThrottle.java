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
  private static final int MAX_TRACKED = 10_000;

  private final int maxFailures;
  private final Duration lockout;
  private final Clock clock;
  private final Map<String, Attempts> attempts = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private record Attempts(int failures, Instant lockedUntil) {}

  public LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
    this.maxFailures = maxFailures;
    this.lockout = lockout;
    this.clock = clock;
  }

  /** How long the account must wait, if it is locked now. */
  public synchronized Optional<Duration> lockedFor(String username) {
    Attempts current = attempts.get(username);
    if (current == null || current.lockedUntil() == null) return Optional.empty();
    Duration left = Duration.between(clock.instant(), current.lockedUntil());
    if (left.isNegative() || left.isZero()) return Optional.empty();
    return Optional.of(left);
  }

  public synchronized void recordFailure(String username) {
    Attempts current = attempts.getOrDefault(username, new Attempts(0, null));
    if (current.lockedUntil() != null && !clock.instant().isBefore(current.lockedUntil())) {
      current = new Attempts(0, null);
    }
    int failures = current.failures() + 1;
    Instant lockedUntil = failures >= maxFailures ? clock.instant().plus(lockout) : null;
    attempts.put(username, new Attempts(failures, lockedUntil));
  }

  public synchronized void recordSuccess(String username) {
    attempts.remove(username);
  }
}
