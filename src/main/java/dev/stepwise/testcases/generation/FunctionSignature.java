package dev.stepwise.testcases.generation;

import java.util.List;

/**
 * A function found in a source file.
 *
 * @param returnType as written, or {@code null} where the language does not say
 * @param firstLine the 1-based line the declaration starts on
 * @param lastLine the line its body ends on
 * @param body the body's text, for finding error paths; empty for a declaration without one
 */
public record FunctionSignature(Language language, String name, String returnType, List<Parameter> parameters,
    int firstLine, int lastLine, String body) {

  public FunctionSignature {
    parameters = List.copyOf(parameters);
  }

  /** One parameter: its declared type (or {@code null} when the language left it out) and name. */
  public record Parameter(String type, String name) {
    /** How the parameter reads in a signature. */
    String display(Language language) {
      if (type == null) return name;
      return switch (language) {
        case C, JAVA -> type.endsWith("*") ? type + name : type + " " + name;
        case GO -> name + " " + type;
        case PYTHON, SCRIPT -> name + ": " + type;
      };
    }
  }

  /** The signature as one line, in the language's own order. */
  public String display() {
    String params = String.join(", ", parameters.stream().map(p -> p.display(language)).toList());
    return switch (language) {
      case C, JAVA -> (returnType == null ? "" : returnType + " ") + name + "(" + params + ")";
      case GO -> "func " + name + "(" + params + ")" + (returnType == null ? "" : " " + returnType);
      case PYTHON -> "def " + name + "(" + params + ")" + (returnType == null ? "" : " -> " + returnType);
      case SCRIPT -> "function " + name + "(" + params + ")" + (returnType == null ? "" : ": " + returnType);
    };
  }

  boolean containsLine(int line) {
    return line >= firstLine && line <= lastLine;
  }
}
