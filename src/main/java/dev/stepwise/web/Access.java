package dev.stepwise.web;

import dev.stepwise.auth.Permission;
import io.javalin.security.RouteRole;

/**
 * Who may call a route, declared where the route is registered and enforced by {@link AuthFilter}
 * before the handler runs. Every route must declare one.
 */
public sealed interface Access extends RouteRole {

  /** No token needed (health, login, metrics). */
  record Public() implements Access {}

  /** Any valid token. */
  record Authenticated() implements Access {}

  /**
   * A valid token whose user holds {@code permission}.
   *
   * @param queryToken whether the token may come as {@code ?access_token=} (for EventSource)
   */
  record Requires(Permission permission, boolean queryToken) implements Access {}

  /**
   * A dashboard page or form, reached with the browser's session cookie. Without a session the
   * browser is sent to sign in; a form (any method but GET) must also carry the session's CSRF token.
   *
   * @param permission what the page needs, or {@code null} for any signed-in user
   */
  record Page(Permission permission) implements Access {}

  Access PUBLIC = new Public();
  Access AUTHENTICATED = new Authenticated();

  static Access requires(Permission permission) {
    return new Requires(permission, false);
  }

  static Page page(Permission permission) {
    return new Page(permission);
  }

  /** A page any signed-in user may see (what it shows still depends on their permissions). */
  static Page signedIn() {
    return new Page(null);
  }

  /** For streams opened by browsers' {@code EventSource}, which cannot send headers. */
  static Access requiresWithQueryToken(Permission permission) {
    return new Requires(permission, true);
  }
}
