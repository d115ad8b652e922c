package dev.stepwise.events;

import dev.stepwise.auth.Caller;
import dev.stepwise.web.ApiError;
import java.util.function.BiPredicate;

/**
 * Who may follow which topics, beyond {@code status:read}: a conversation's events (prompts,
 * replies, tool output) only its owner. Shared by SSE and the WebSocket. Thread-safe.
 */
public final class TopicAccess {
  private final BiPredicate<Long, Long> ownsThread;

  /** @param ownsThread whether a user (first) owns a thread (second) */
  public TopicAccess(BiPredicate<Long, Long> ownsThread) {
    this.ownsThread = ownsThread;
  }

  /** Answers 404 for a thread the caller does not own, so that ids reveal nothing. */
  public void check(Caller caller, TopicFilter filter) {
    for (long thread : filter.threadIds()) {
      if (!ownsThread.test(caller.userId(), thread)) throw ApiError.notFound("you have no thread with id " + thread);
    }
  }
}
