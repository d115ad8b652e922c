package dev.stepwise.tasks.backends.opencode;

import java.time.Duration;
import java.time.Instant;

/**
 * When a phase whose OpenCode session is quiet, and idle by OpenCode's word, ends without a finished
 * answer. OpenCode calls a session idle from accepting a prompt until its loop starts, which takes
 * seconds on a loaded machine, and for a moment while it writes down a failed model call: idle alone
 * does not mean that the phase ended. Without a finished answer, the phase ends once OpenCode has
 * reported an error, or once the session has stayed idle for {@link #GRACE} with nothing heard of it.
 * A finished answer ends the phase at once; that is not decided here. Not thread-safe: one per pass.
 */
final class IdleWithoutAnswer {
  static final Duration GRACE = Duration.ofSeconds(30);

  private Instant idleSince;

  /** OpenCode works on the session (it said busy, or an event of it arrived): idleness starts again. */
  void working() {
    idleSince = null;
  }

  /** OpenCode says the session is idle and its answer is not finished: whether the phase ends now. */
  boolean ends(boolean errorReported, Instant now) {
    if (idleSince == null) idleSince = now;
    return errorReported || !now.isBefore(idleSince.plus(GRACE));
  }
}
