package dev.stepwise.executions;

import dev.stepwise.plans.ExecutionKind;
import java.time.Instant;

/** A step waiting for a human decision, as listed to approvers. */
public record PendingApproval(
    long executionId, String executionName, ExecutionKind kind, int priority, int stepNumber, String stepName,
    String command, String requestedBy, Instant requestedAt, Instant expiresAt) {}
