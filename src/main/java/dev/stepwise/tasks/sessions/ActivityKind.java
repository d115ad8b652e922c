package dev.stepwise.tasks.sessions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What one entry of a session's activity reports (API.md §6). */
public enum ActivityKind {
  /** A phase started or ended, the workspace changed, the session ended. */
  STATUS,
  /** What the agent answered: a plan, a summary of its work, a review. */
  MESSAGE,
  /** What the agent said while it worked. */
  THINKING,
  /** A tool the agent called, with its arguments. */
  TOOL_CALL,
  /** What a tool call gave back: its output and exit. */
  TOOL_RESULT,
  APPROVAL_REQUESTED,
  APPROVAL_RESOLVED,
  ERROR;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
