package dev.stepwise.chat;

import java.time.Instant;

/**
 * One message of a thread.
 *
 * @param role {@code user}, {@code assistant} or {@code tool}
 * @param runId the agent run (an execution) that wrote or answered it, if any
 */
public record Message(long id, long threadId, String role, String content, Long runId, Instant createdAt) {}
