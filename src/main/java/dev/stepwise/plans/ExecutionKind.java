package dev.stepwise.plans;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What an execution is for; every kind runs on the same engine (API.md §4). */
public enum ExecutionKind {
  COMMAND, TEST, AGENT, TASK, CHAT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static Optional<ExecutionKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
  }
}
