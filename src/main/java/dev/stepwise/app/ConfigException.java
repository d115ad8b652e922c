package dev.stepwise.app;

import java.util.List;

/** Start-up could not proceed because of settings; each line names one bad setting. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
