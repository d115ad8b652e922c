package dev.stepwise.executions;

import dev.stepwise.plans.ExecutionKind;
import java.time.Instant;

/**
 * A step waiting for a human decision, as listed to approvers.
 *
 * @param call the tool call an agent step waits on (what the decision is about), or {@code null} for a gate
 * @param environment where the step runs: {@code local}, or a remote environment's name
 * @param host the remote machine ({@code deploy@10.0.0.5}), or {@code null} on this node
 */
public record PendingApproval(
    long executionId, String executionName, ExecutionKind kind, int priority, int stepNumber, String stepName,
    String command, String requestedBy, Instant requestedAt, Instant expiresAt, ParkedCalls.WaitingCall call,
    String environment, String host) {

  PendingApproval withCall(ParkedCalls.WaitingCall waiting) {
    return new PendingApproval(executionId, executionName, kind, priority, stepNumber, stepName, command, requestedBy,
        requestedAt, expiresAt, waiting, environment, host);
  }
}
