package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;

/** Splitting a parameter list at its top-level commas, which every language needs. */
final class ParameterLists {
  private ParameterLists() {}

  /** The comma-separated parts of {@code text}, ignoring commas inside brackets; trimmed, none empty. */
  static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[' || c == '{' || c == '<') depth++;
      else if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) depth--;
      else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).trim());
    parts.removeIf(String::isEmpty);
    return parts;
  }

  /** The part before {@code =} (a default value), if any, at the top level. */
  static String withoutDefault(String parameter) {
    int depth = 0;
    for (int i = 0; i < parameter.length(); i++) {
      char c = parameter.charAt(i);
      if (c == '(' || c == '[' || c == '{' || c == '<') depth++;
      else if (c == ')' || c == ']' || c == '}' || c == '>') depth--;
      else if (c == '=' && depth == 0 && (i + 1 >= parameter.length() || parameter.charAt(i + 1) != '>')) {
        return parameter.substring(0, i).trim();
      }
    }
    return parameter.trim();
  }
}
