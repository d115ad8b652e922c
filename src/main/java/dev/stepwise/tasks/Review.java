package dev.stepwise.tasks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Which of a task's phases wait for a person: the plan before the work starts, and the result
 * before the task is done.
 */
public record Review(Gate plan, Gate merge) {
  public static final Review BOTH = new Review(Gate.HUMAN, Gate.HUMAN);

  /** A review by a person, or none. */
  public enum Gate {
    HUMAN, NONE;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Gate> fromWireName(String name) {
      for (Gate gate : values()) if (gate.wireName().equals(name)) return Optional.of(gate);
      return Optional.empty();
    }
  }
}
