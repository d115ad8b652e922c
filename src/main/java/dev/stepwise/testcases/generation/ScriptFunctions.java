package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds JavaScript and TypeScript functions: {@code function name(...)}, arrow functions bound to
 * a name ({@code const name = (...) =>}) and class methods ({@code name(...) {}}).
 */
final class ScriptFunctions {
  private static final Pattern FUNCTION = Pattern.compile(
      "\\bfunction\\s*\\*?\\s*([A-Za-z_$][\\w$]*)\\s*(?:<[^<>\\n]{0,200}>)?\\s*\\(");
  private static final Pattern ARROW = Pattern.compile(
      "\\b(?:const|let|var)\\s+([A-Za-z_$][\\w$]*)\\s*(?::[^=\\n]{1,200})?=\\s*(?:async\\s*)?(?:<[^<>\\n]{0,200}>)?\\s*\\(");
  private static final Pattern METHOD = Pattern.compile(
      "(?m)^[ \\t]*(?:(?:public|private|protected|static|async|readonly|override)\\s+)*([A-Za-z_$][\\w$]*)\\s*(?:<[^<>\\n]{0,200}>)?\\s*\\(");
  private static final Set<String> NOT_NAMES = Set.of("if", "for", "while", "switch", "catch", "function", "return");

  private ScriptFunctions() {}

  static List<FunctionSignature> find(String source) {
    SourceText text = SourceText.cLike(source);
    List<FunctionSignature> found = new ArrayList<>();
    collect(text, FUNCTION, false, found);
    collect(text, ARROW, true, found);
    collect(text, METHOD, false, found);
    found.sort(java.util.Comparator.comparingInt(FunctionSignature::firstLine));
    return found;
  }

  private static void collect(SourceText text, Pattern pattern, boolean arrow, List<FunctionSignature> found) {
    String code = text.code();
    Matcher m = pattern.matcher(code);
    while (m.find()) {
      String name = m.group(1);
      int open = m.end() - 1;
      int close = text.closing(open);
      if (close < 0 || NOT_NAMES.contains(name)) continue;
      int at = text.skipSpace(close + 1);
      String returnType = null;
      if (at < code.length() && code.charAt(at) == ':') {
        int stop = arrow ? code.indexOf("=>", at) : code.indexOf('{', at);
        if (stop < 0) continue;
        returnType = text.flatCode(at + 1, stop);
        at = stop;
      }
      if (arrow) {
        if (!code.startsWith("=>", at)) continue;
        at = text.skipSpace(at + 2);
      }
      int line = text.lineOf(m.start(1));
      if (found.stream().anyMatch(f -> f.name().equals(name) && f.firstLine() == line)) continue;
      boolean block = at < code.length() && code.charAt(at) == '{';
      if (!arrow && !block) continue;
      int end = block ? text.closing(at) : lineEnd(code, at);
      if (end < 0) end = code.length();
      if (block && end == code.length() && at + 1 > end) continue;
      found.add(new FunctionSignature(Language.SCRIPT, name, returnType, parameters(text.flatCode(open + 1, close)),
          line, text.lineOf(end), text.original().substring(block ? at + 1 : at, end)));
    }
  }

  private static int lineEnd(String code, int from) {
    int end = code.indexOf('\n', from);
    return end < 0 ? code.length() : end;
  }

  private static List<FunctionSignature.Parameter> parameters(String list) {
    List<FunctionSignature.Parameter> parameters = new ArrayList<>();
    int index = 0;
    for (String part : ParameterLists.split(list)) {
      String declaration = ParameterLists.withoutDefault(part).replaceFirst("^\\.\\.\\.", "");
      String name;
      String type = null;
      if (declaration.startsWith("{") || declaration.startsWith("[")) {
        int close = declaration.startsWith("{") ? declaration.lastIndexOf('}') : declaration.lastIndexOf(']');
        name = declaration.startsWith("{") ? "options" + (index == 0 ? "" : index) : "items" + (index == 0 ? "" : index);
        String rest = declaration.substring(close + 1).trim();
        if (rest.startsWith(":")) type = rest.substring(1).trim();
        else type = declaration.startsWith("{") ? "object" : "array";
      } else {
        int colon = declaration.indexOf(':');
        name = (colon < 0 ? declaration : declaration.substring(0, colon)).replace("?", "").trim();
        if (colon >= 0) type = declaration.substring(colon + 1).trim();
      }
      parameters.add(new FunctionSignature.Parameter(type, name));
      index++;
    }
    return parameters;
  }
}
