package dev.stepwise.cli;

/** Following an execution's events until it finishes. */
final class Tail {
  private Tail() {}

  /** Prints the execution's events from the start until it finishes; returns the exit code. */
  static int follow(Remote remote, long id) {
    var printer = new EventPrinter(System.out, id);
    remote.follow("/api/v1/executions/" + id + "/events", printer::print);
    return printer.exitCode();
  }
}
