package dev.stepwise.testcases.generation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The languages whose functions the analyser can read, by file extension. */
public enum Language {
  C("c", "h", "cc", "cpp", "cxx", "hpp", "hh"),
  JAVA("java"),
  PYTHON("py"),
  GO("go"),
  /** JavaScript and TypeScript. */
  SCRIPT("js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts");

  private final List<String> extensions;

  Language(String... extensions) {
    this.extensions = List.of(extensions);
  }

  public String wireName() {
    return this == SCRIPT ? "javascript/typescript" : name().toLowerCase(Locale.ROOT);
  }

  static Optional<Language> forPath(String path) {
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) return Optional.empty();
    String extension = path.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (Language language : values()) if (language.extensions.contains(extension)) return Optional.of(language);
    return Optional.empty();
  }

  /** Every function defined in {@code source}, in order of appearance. */
  List<FunctionSignature> functions(String source) {
    return switch (this) {
      case C -> CFunctions.find(source);
      case JAVA -> JavaMethods.find(source);
      case PYTHON -> PythonFunctions.find(source);
      case GO -> GoFunctions.find(source);
      case SCRIPT -> ScriptFunctions.find(source);
    };
  }

}
