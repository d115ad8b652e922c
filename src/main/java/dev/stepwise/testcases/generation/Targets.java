package dev.stepwise.testcases.generation;

import java.util.Optional;

/** Finds a named function in the source tree and says what was learned, or why nothing was. Thread-safe. */
public final class Targets {
  private final SourceTree tree;

  public Targets(SourceTree tree) {
    this.tree = tree;
  }

  public SourceTree tree() {
    return tree;
  }

  /** The target for {@code functionName} in {@code filePath}; never fails for a missing file or function. */
  public Target locate(String filePath, String functionName) {
    Optional<Language> language = Language.forPath(filePath);
    SourceTree.Lookup lookup = tree.read(filePath);
    if (!lookup.found()) return new Target(filePath, functionName, language.orElse(null), null, lookup.problem(), null);
    if (language.isEmpty()) {
      return new Target(filePath, functionName, null, null, "the language of " + filePath + " is not one the analyser "
          + "reads (C, Java, Python, Go, JavaScript/TypeScript)", null);
    }
    return language.get().function(lookup.text(), functionName)
        .map(f -> new Target(filePath, functionName, language.get(), f, null, null))
        .orElseGet(() -> new Target(filePath, functionName, language.get(), null,
            "no function named " + functionName + " was found in " + filePath, null));
  }
}
