package dev.stepwise.auth;

import java.util.List;

/** The caller as shown to clients by login and {@code /auth/me}. */
public record UserInfo(long id, String username, String role, List<String> permissions) {
  public static UserInfo of(User user) {
    return new UserInfo(user.id(), user.username(), user.role().wireName(), user.role().permissionNames());
  }
}
