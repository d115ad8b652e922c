package dev.stepwise.testcases.generation;

import java.util.List;

/** Proposes test cases for functions. Implementations are thread-safe. */
public interface TestGenerator {
  /** The name a response and each stored case carry, e.g. {@code analyser} or {@code llm:qwen2.5-coder}. */
  String name();

  /** Up to {@code maxTests} distinct cases for {@code targets}, spread over them. */
  Generation generate(List<Target> targets, int maxTests);

  /**
   * What a generator produced.
   *
   * @param generator the generator whose cases these are (after a fallback: the one that made them)
   * @param warnings what the caller should know: a fallback, a source that was not found
   */
  record Generation(List<ProposedCase> cases, String generator, List<String> warnings) {
    public Generation {
      cases = List.copyOf(cases);
      warnings = List.copyOf(warnings);
    }
  }
}
