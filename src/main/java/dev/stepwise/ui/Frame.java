package dev.stepwise.ui;

import dev.stepwise.auth.Caller;
import dev.stepwise.auth.Permission;

/**
 * What every signed-in page shows around its content: who is signed in, what they may do, the
 * CSRF token their forms carry, the navigation's live count of waiting approvals, and where the
 * page's live updates start (the event id read before the page's data, so that nothing between
 * the render and the stream is missed).
 *
 * @param section which navigation entry is current
 * @param topics the event topics the page follows
 * @param since the last event id the page's content already reflects
 * @param now when the page was made, for durations of what still runs
 */
public record Frame(String title, String section, Caller caller, String csrf, long approvalsWaiting, String topics,
    long since, java.time.Instant now) {

  /** The same frame under another title: for a page whose title comes from data read after its frame. */
  public Frame titled(String newTitle) {
    return new Frame(newTitle, section, caller, csrf, approvalsWaiting, topics, since, now);
  }

  public boolean can(Permission permission) {
    return caller.can(permission);
  }

  public String username() {
    return caller.user().username();
  }

  public String role() {
    return caller.user().role().wireName();
  }

  /** The event stream this page follows, resuming after {@link #since}. */
  public String streamUrl() {
    return "/api/v1/events/stream?topics=" + topics + "&since=" + since;
  }
}
