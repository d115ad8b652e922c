package dev.stepwise.executions;

import dev.stepwise.plans.StepType;
import java.time.Instant;

/** A step as stored. */
public record StepRow(
    long executionId,
    int stepNumber,
    String name,
    StepType type,
    String command,
    boolean requiresApproval,
    Boolean approved,
    String approvedBy,
    String approvalComment,
    Instant approvalRequestedAt,
    Instant approvalExpiresAt,
    StepStatus status,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    String outputTail,
    int attempts,
    String error) {}
