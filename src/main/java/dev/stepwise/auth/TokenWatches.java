package dev.stepwise.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The tokens of this node's long-lived connections, so that revoking a token or changing a user
 * here is checked on their connections at once instead of at the next {@link TokenWatch#RECHECK}.
 * Thread-safe.
 */
public final class TokenWatches {
  private final Map<TokenWatch, Runnable> open = new ConcurrentHashMap<>();

  /**
   * Counts a connection's watch until {@link #close}; {@code wake} runs when a check falls due
   * early, so that a connection blocked on something else looks at its token. The first check is
   * due at once: a change made between the request's authentication and this call is caught too.
   */
  public void open(TokenWatch watch, Runnable wake) {
    open.put(watch, wake);
    watch.dueNow();
  }

  public void close(TokenWatch watch) {
    open.remove(watch);
  }

  /** Revoking this API token ends its connections at their next look, which is now. */
  void tokenRevoked(long apiTokenId) {
    recheck(watch -> watch.apiTokenId() != null && watch.apiTokenId() == apiTokenId);
  }

  /** A changed, disabled or deleted user: their connections check their token again now. */
  void userChanged(long userId) {
    recheck(watch -> watch.userId() == userId);
  }

  private void recheck(Predicate<TokenWatch> whose) {
    open.forEach((watch, wake) -> {
      if (whose.test(watch)) {
        watch.dueNow();
        wake.run();
      }
    });
  }
}
