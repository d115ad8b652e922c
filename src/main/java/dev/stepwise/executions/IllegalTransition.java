package dev.stepwise.executions;

import dev.stepwise.web.ApiError;

/** An action that does not fit the current state: a 409 {@code INVALID_TRANSITION}. */
public final class IllegalTransition extends ApiError {
  public IllegalTransition(String message) {
    super(409, "INVALID_TRANSITION", message);
  }
}
