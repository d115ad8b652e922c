package dev.stepwise.runners;

import java.util.Comparator;
import java.util.List;

/**
 * The secret values of a plan, and how they are hidden wherever output is kept or shown: step
 * logs, events, an agent's tool results. Immutable and thread-safe.
 */
public final class Secrets {
  public static final String MASK = "****";
  public static final Secrets NONE = new Secrets(List.of());

  private final List<String> values;

  private Secrets(List<String> values) {
    this.values = values;
  }

  /** Values shorter than 3 characters are not masked: they would mask ordinary text. */
  public static Secrets of(List<String> values) {
    // longest first, so that a secret containing another is masked whole
    return new Secrets(values.stream().filter(s -> s != null && s.length() >= 3)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList());
  }

  public String mask(String text) {
    if (text == null) return null;
    String masked = text;
    for (String secret : values) masked = masked.replace(secret, MASK);
    return masked;
  }

  /**
   * Masks the start of a text that was cut off: besides every whole secret, an end that could be
   * the first characters of a secret (the rest of it was cut away) is masked too.
   */
  public String maskCut(String start) {
    String masked = mask(start);
    int partial = 0;
    for (String secret : values) {
      for (int length = Math.min(secret.length() - 1, masked.length()); length > partial; length--) {
        if (masked.endsWith(secret.substring(0, length))) partial = length;
      }
    }
    return partial == 0 ? masked : masked.substring(0, masked.length() - partial) + MASK;
  }
}
