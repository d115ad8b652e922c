package dev.stepwise.testcases.generation;

import java.util.List;

/**
 * A function to propose tests for, with what could be learned about it.
 *
 * @param signature the function as found in the source, or {@code null} when it was not found
 * @param sourceNote why the source could not be used, or {@code null} when it was
 * @param change for a diff: what changed in this function; {@code null} for a single function
 */
public record Target(String filePath, String functionName, Language language, FunctionSignature signature,
    String sourceNote, Change change) {

  /**
   * A function's part in a diff.
   *
   * @param status {@code modified}, {@code added} (a new function or file) or {@code renamed}
   * @param renamedFrom the old path of a renamed file, or {@code null}
   * @param lines the changed lines in the new file (1-based)
   * @param excerpt the added and removed lines as the diff shows them, a few at most
   */
  public record Change(String status, String renamedFrom, List<Integer> lines, List<String> excerpt) {
    public Change {
      lines = List.copyOf(lines);
      excerpt = List.copyOf(excerpt);
    }
  }
}
