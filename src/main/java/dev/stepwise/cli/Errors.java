package dev.stepwise.cli;

/** Short, cause-chained descriptions of start-up failures for the console. */
final class Errors {
  private Errors() {}

  static String describe(Throwable error) {
    var text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) text.append(": ").append(message);
    }
    return text.toString().lines().findFirst().orElse("");
  }
}
