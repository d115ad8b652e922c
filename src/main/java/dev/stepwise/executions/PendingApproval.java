package dev.stepwise.executions;

import dev.stepwise.plans.ExecutionKind;
import java.time.Instant;

/**
 * A step waiting for a human decision, as listed to approvers.
 *
 * @param call the tool call an agent step waits on (what the decision is about), or {@code null} for a gate
 */
public record PendingApproval(
    long executionId, String executionName, ExecutionKind kind, int priority, int stepNumber, String stepName,
    String command, String requestedBy, Instant requestedAt, Instant expiresAt, ParkedCalls.WaitingCall call) {

  PendingApproval withCall(ParkedCalls.WaitingCall waiting) {
    return new PendingApproval(executionId, executionName, kind, priority, stepNumber, stepName, command, requestedBy,
        requestedAt, expiresAt, waiting);
  }
}
