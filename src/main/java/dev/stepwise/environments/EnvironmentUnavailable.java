package dev.stepwise.environments;

/**
 * An environment could not be reached or used: the message names it and says why in words an
 * admin can act on (the fingerprint of a refused host key, the user a key was refused for).
 */
public final class EnvironmentUnavailable extends RuntimeException {
  public EnvironmentUnavailable(String message) {
    super(message, null, false, false);
  }
}
