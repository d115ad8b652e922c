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

  /**
   * The functions in {@code source}; none when the scanner trips over it, so that an odd file
   * costs the caller its signatures, never the request.
   */
  static java.util.List<FunctionSignature> functionsOf(Language language, String source) {
    try {
      return language.functions(source);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Targets.class).warn("could not scan a {} source: {}", language.wireName(), e.toString());
      return java.util.List.of();
    }
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
    return functionsOf(language.get(), lookup.text()).stream().filter(f -> f.name().equals(functionName))
        .min(java.util.Comparator.comparing(f -> f.body().isEmpty()))
        .map(f -> new Target(filePath, functionName, language.get(), f, null, null))
        .orElseGet(() -> new Target(filePath, functionName, language.get(), null,
            "no function named " + functionName + " was found in " + filePath, null));
  }
}
