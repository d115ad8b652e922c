package dev.stepwise.auth;

import java.time.Instant;

/**
 * A person or service that can log in.
 *
 * @param builtin the demo user, created by Stepwise itself
 */
public record User(
    long id, String username, Role role, boolean disabled, boolean builtin,
    Instant createdAt, Instant updatedAt) {}
