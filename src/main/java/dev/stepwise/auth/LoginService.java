package dev.stepwise.auth;

import dev.stepwise.web.ApiError;
import java.util.Locale;

/**
 * Password and demo logins. Unknown users and wrong passwords get the same answer in the same
 * time, and both count against the account's throttle. Thread-safe.
 */
public final class LoginService {
  private static final String INVALID = "invalid username or password";

  private final Users users;
  private final Passwords passwords;
  private final JwtTokens jwt;
  private final LoginThrottle throttle;
  private final boolean demoEnabled;
  /** bcrypt is deliberately slow: bound how many run at once so logins cannot starve the server. */
  private final java.util.concurrent.Semaphore bcryptSlots =
      new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

  public LoginService(Users users, Passwords passwords, JwtTokens jwt, LoginThrottle throttle, boolean demoEnabled) {
    this.users = users;
    this.passwords = passwords;
    this.jwt = jwt;
    this.throttle = throttle;
    this.demoEnabled = demoEnabled;
  }

  public LoginResponse login(String rawUsername, String password) {
    String username = normalize(rawUsername);
    throttle.tryAcquire(username).ifPresent(wait -> {
      throw ApiError.rateLimited("too many failed logins for this account; try again later", wait);
    });
    try {
      bcryptSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throttle.release(username);
      throw ApiError.unavailable("the server is shutting down");
    }
    try {
      return check(username, password);
    } catch (ApiError answered) {
      throw answered;
    } catch (RuntimeException e) {
      throttle.release(username);
      throw e;
    } finally {
      bcryptSlots.release();
    }
  }

  private LoginResponse check(String username, String password) {
    var credentials = users.credentials(username);
    if (credentials.isEmpty()) {
      passwords.matchDecoy(password);
      throttle.recordFailure(username);
      throw ApiError.unauthenticated(INVALID);
    }
    User user = credentials.get().user();
    if (user.builtin() || !passwords.matches(password, credentials.get().passwordHash())) {
      throttle.recordFailure(username);
      throw ApiError.unauthenticated(INVALID);
    }
    throttle.recordSuccess(username);
    if (user.disabled()) throw ApiError.unauthenticated("this account is disabled; ask an admin to enable it");
    return respond(user);
  }

  public LoginResponse demoLogin() {
    if (!demoEnabled) {
      throw new ApiError(403, "DEMO_LOGIN_DISABLED", "demo login is off on this server: it listens on a "
          + "non-loopback address, or STEPWISE_DEMO_LOGIN=false; set STEPWISE_DEMO_LOGIN=true to allow it");
    }
    User demo = users.findByUsername(FirstStart.DEMO_USERNAME)
        .filter(u -> u.builtin() && u.role() == Role.DEMO && !u.disabled())
        .orElseThrow(() -> new ApiError(403, "DEMO_LOGIN_DISABLED",
            "the demo user is disabled on this server; an admin can enable it"));
    return respond(demo);
  }

  private LoginResponse respond(User user) {
    JwtTokens.Issued issued = jwt.issueSession(user.id());
    return new LoginResponse(issued.token(), "bearer", jwt.sessionTtl().toSeconds(), UserInfo.of(user));
  }

  static String normalize(String username) {
    return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
  }
}
