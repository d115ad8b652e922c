package dev.stepwise.testcases.generation;

import java.util.List;

/**
 * A test case a generator proposes, before it gets a command and is stored.
 *
 * @param name a test name usable in commands: letters, digits and {@code _}
 * @param kind what sort of case: nominal, error_path, null, empty, overflow, boundary, regression, new
 */
public record ProposedCase(String name, String functionName, String filePath, String kind, String description,
    String expected, List<String> tags) {

  public ProposedCase {
    tags = List.copyOf(tags);
  }

  ProposedCase renamed(String newName) {
    return new ProposedCase(newName, functionName, filePath, kind, description, expected, tags);
  }
}
