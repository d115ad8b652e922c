package dev.stepwise.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is making a request, as established from their token: the current state of the user (role
 * changes and deletions take effect at once) and how they authenticated.
 *
 * @param apiTokenId the API token used, or {@code null} for a login session
 * @param expiresAt when the presented token stops being valid
 */
public record Caller(User user, Long apiTokenId, Instant expiresAt) {
  public long userId() {
    return user.id();
  }

  public boolean can(Permission permission) {
    return user.role().allows(permission);
  }

  public Set<Permission> permissions() {
    return user.role().permissions();
  }
}
