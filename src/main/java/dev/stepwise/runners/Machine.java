package dev.stepwise.runners;

/**
 * The machine a step runs on: its environment's name, how people know it ({@code deploy@10.0.0.5},
 * or {@code null} for this node), and the runner of commands there, which an agent's {@code shell}
 * tool uses too.
 */
public record Machine(String environment, String address, StepRunner commands) {
  /** This node's own machine. */
  public static final Machine LOCAL = new Machine("local", null, new LocalProcessRunner());

  public boolean remote() {
    return address != null;
  }

  /** {@code vm (deploy@10.0.0.5)}, or {@code this node}. */
  public String describe() {
    return remote() ? environment + " (" + address + ")" : "this node";
  }
}
