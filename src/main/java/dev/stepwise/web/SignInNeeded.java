package dev.stepwise.web;

/**
 * A dashboard page was asked for without a valid session: the browser is sent to sign in and
 * brought back afterwards.
 */
public final class SignInNeeded extends RuntimeException {
  private final String reason;

  public SignInNeeded(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  /** Why the session was not accepted (absent, expired, revoked user), shown on the sign-in page. */
  public String reason() {
    return reason;
  }
}
