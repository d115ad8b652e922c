package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds Python functions and methods ({@code def}, {@code async def}); a body ends where the indentation does. */
final class PythonFunctions {
  private static final Pattern DEF = Pattern.compile("(?m)^([ \\t]*)(?:async[ \\t]+)?def[ \\t]+([A-Za-z_]\\w*)[ \\t]*\\(");

  private PythonFunctions() {}

  static List<FunctionSignature> find(String source) {
    SourceText text = SourceText.python(source);
    String code = text.code();
    List<FunctionSignature> found = new ArrayList<>();
    Matcher m = DEF.matcher(code);
    while (m.find()) {
      int open = m.end() - 1;
      int close = text.closing(open);
      if (close < 0) break;
      int colon = code.indexOf(':', close);
      if (colon < 0) break;
      String arrow = text.flatCode(close + 1, colon);
      String returnType = arrow.startsWith("->") ? arrow.substring(2).trim() : null;
      int bodyStart = code.indexOf('\n', colon);
      int bodyEnd = bodyEnd(code, bodyStart, m.group(1).length());
      found.add(new FunctionSignature(Language.PYTHON, m.group(2), returnType, parameters(text.flatCode(open + 1, close)),
          text.lineOf(m.start(2)), text.lineOf(Math.max(bodyStart, bodyEnd - 1)),
          bodyStart < 0 ? source.substring(colon + 1) : source.substring(bodyStart, bodyEnd)));
    }
    return found;
  }

  /** Where the body ends: the first non-blank line indented no deeper than the {@code def}. */
  private static int bodyEnd(String code, int bodyStart, int indent) {
    if (bodyStart < 0) return code.length();
    int at = bodyStart + 1;
    while (at < code.length()) {
      int lineEnd = code.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = code.length();
      String line = code.substring(at, lineEnd);
      if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) return at;
      at = lineEnd + 1;
    }
    return code.length();
  }

  private static List<FunctionSignature.Parameter> parameters(String list) {
    List<FunctionSignature.Parameter> parameters = new ArrayList<>();
    for (String part : ParameterLists.split(list)) {
      String declaration = ParameterLists.withoutDefault(part);
      if (declaration.equals("/") || declaration.equals("*")) continue;
      int colon = declaration.indexOf(':');
      String name = (colon < 0 ? declaration : declaration.substring(0, colon)).trim();
      if (name.equals("self") || name.equals("cls")) continue;
      parameters.add(new FunctionSignature.Parameter(colon < 0 ? null : declaration.substring(colon + 1).trim(), name));
    }
    return parameters;
  }
}
