package dev.stepwise.agents;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a tool call waits for a person: always, never, or when it is risky (not on the safe list). */
public enum ApprovalMode {
  ALWAYS, NEVER, RISKY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ApprovalMode parse(String text) {
    for (ApprovalMode mode : values()) if (mode.wireName().equals(text)) return mode;
    return null;
  }
}
