package dev.stepwise.auth;

import java.time.Instant;

/** A long-lived token as listed to its owner: never the secret itself. */
public record ApiToken(
    long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {}
