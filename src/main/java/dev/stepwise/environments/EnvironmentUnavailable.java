package dev.stepwise.environments;

/**
 * An environment could not be reached or used: the message names it and says why in words an
 * admin can act on (the fingerprint of a refused host key, the user a key was refused for).
 */
public final class EnvironmentUnavailable extends RuntimeException {
  private final boolean connectionLost;

  public EnvironmentUnavailable(String message, boolean connectionLost) {
    super(message, null, false, false);
    this.connectionLost = connectionLost;
  }

  public EnvironmentUnavailable(String message) {
    this(message, false);
  }

  /** Whether an open connection went away (as opposed to one that could not be made). */
  public boolean connectionLost() {
    return connectionLost;
  }
}
