package dev.stepwise.chat;

import java.time.Instant;

/**
 * A conversation of one user with an agent.
 *
 * @param lastMessage the newest message, or {@code null} in a thread without any
 */
public record ChatThread(long id, long userId, String title, String agent, Instant createdAt, Instant updatedAt,
    Message lastMessage) {}
