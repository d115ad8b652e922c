package dev.stepwise.agents.runtime;

import java.util.Map;

/**
 * One tool call of a run, as checkpointed.
 *
 * @param turn the model turn that asked for it
 * @param position its place among that turn's calls
 * @param callId the model's id for it, echoed back with the result
 * @param output what the model is told, once the call is settled
 */
public record ToolCall(int turn, int position, String callId, String tool, Map<String, Object> arguments,
    Status status, String decidedBy, String decisionComment, String output, Integer exitCode) {

  /** Names the call within its run, for binding a decision to it: {@code <turn>.<position>}. */
  public String key() {
    return turn + "." + position;
  }

  /** A call's lifecycle. */
  public enum Status {
    /** The model asked for it; nothing has been done yet (it may be waiting for a decision). */
    PROPOSED,
    APPROVED,
    /** Settled: a person refused it, and the model is told so. */
    REJECTED,
    /** The tool is running. Found so after a restart, the call was interrupted. */
    RUNNING,
    COMPLETED,
    /** Settled without running: not this agent's tool, bad arguments, or over a limit. */
    REFUSED,
    /** Settled: the server stopped while it ran; it is never run again. */
    INTERRUPTED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Status fromWireName(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether the model has its answer. */
    public boolean settled() {
      return this == REJECTED || this == COMPLETED || this == REFUSED || this == INTERRUPTED;
    }
  }
}
