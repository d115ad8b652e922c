package dev.stepwise.executions;

import dev.stepwise.plans.ExecutionKind;
import java.time.Instant;
import java.util.List;

/**
 * An execution as stored, including the engine's bookkeeping (lease, fence, plan).
 *
 * @param createdById the submitting user's id, kept after that user is deleted (user ids are never
 *     reused, so it never names someone else); {@code createdBy} their name as it was
 * @param waitingFor the environment a queued execution waits for a free slot of, or {@code null}
 */
public record ExecutionRow(
    long id,
    String name,
    ExecutionKind kind,
    ExecutionStatus status,
    int priority,
    String planJson,
    List<String> labels,
    Long createdById,
    String createdBy,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadlineAt,
    Integer currentStep,
    String environment,
    String waitingFor,
    String error,
    String leaseOwner,
    Instant leaseExpiresAt,
    long fence,
    Instant runAfter,
    boolean cancelRequested,
    Long retryOf) {}
