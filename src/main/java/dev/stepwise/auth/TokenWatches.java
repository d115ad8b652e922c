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
   * early, so that a connection blocked on something else looks at its token.
   */
  public void open(TokenWatch watch, Runnable wake) {
    open.put(watch, wake);
  }

  public void close(TokenWatch watch) {
    open.remove(watch);
  }

  /** Revoking this API token ends its connections at their next look, which is now. */
  void tokenRevoked(long apiTokenId) {
    recheck(caller -> caller.apiTokenId() != null && caller.apiTokenId() == apiTokenId);
  }

  /** A changed, disabled or deleted user: their connections check their token again now. */
  void userChanged(long userId) {
    recheck(caller -> caller.userId() == userId);
  }

  private void recheck(Predicate<Caller> whose) {
    open.forEach((watch, wake) -> {
      if (whose.test(watch.caller())) {
        watch.dueNow();
        wake.run();
      }
    });
  }
}
