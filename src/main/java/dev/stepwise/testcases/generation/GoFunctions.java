package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds Go functions and methods; grouped parameters ({@code a, b int}) each get the group's type. */
final class GoFunctions {
  private static final Pattern FUNC = Pattern.compile("(?m)^func\\s*(\\([^)\\n]{0,300}\\)\\s*)?([A-Za-z_]\\w*)\\s*(\\[[^\\]\\n]{0,300}\\]\\s*)?\\(");

  private GoFunctions() {}

  static List<FunctionSignature> find(String source) {
    SourceText text = SourceText.cLike(source);
    String code = text.code();
    List<FunctionSignature> found = new ArrayList<>();
    Matcher m = FUNC.matcher(code);
    while (m.find()) {
      int open = m.end() - 1;
      int close = text.closing(open);
      if (close < 0) break;
      int body = code.indexOf('{', close);
      int newline = code.indexOf('\n', close);
      // the result list may itself hold braces (interface{}); the body brace ends the line
      while (body >= 0 && code.startsWith("{}", body)) body = code.indexOf('{', body + 2);
      if (body < 0) break;
      String results = text.flatCode(close + 1, body);
      int end = text.closing(body);
      if (end < 0) end = code.length();
      found.add(new FunctionSignature(Language.GO, m.group(2), results.isEmpty() ? null : results,
          parameters(text.flatCode(open + 1, close)), text.lineOf(m.start()), text.lineOf(end),
          newline >= 0 && newline < body ? "" : source.substring(body + 1, end)));
    }
    return found;
  }

  private static List<FunctionSignature.Parameter> parameters(String list) {
    List<String> parts = ParameterLists.split(list);
    boolean named = parts.stream().anyMatch(p -> p.trim().contains(" "));
    List<FunctionSignature.Parameter> parameters = new ArrayList<>();
    if (!named) {
      for (int i = 0; i < parts.size(); i++) parameters.add(new FunctionSignature.Parameter(parts.get(i), "arg" + i));
      return parameters;
    }
    String type = null;
    List<FunctionSignature.Parameter> reversed = new ArrayList<>();
    for (int i = parts.size() - 1; i >= 0; i--) {
      String part = parts.get(i).trim();
      int space = part.indexOf(' ');
      if (space > 0) {
        type = part.substring(space + 1).trim();
        reversed.add(new FunctionSignature.Parameter(type, part.substring(0, space)));
      } else {
        reversed.add(new FunctionSignature.Parameter(type, part));
      }
    }
    for (int i = reversed.size() - 1; i >= 0; i--) parameters.add(reversed.get(i));
    return parameters;
  }
}
