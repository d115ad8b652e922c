package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds Java methods and constructors: modifiers, a type, a name and a parameter list before a body. */
final class JavaMethods {
  private static final Pattern DECLARATION = Pattern.compile(
      "(?<=[;{}\\s]|^)((?:(?:public|protected|private|static|final|abstract|synchronized|native|default|strictfp)\\s+)*)"
          + "(?:<[^<>{};\\n]{0,200}>\\s*)?([A-Za-z_][\\w.$]*(?:\\s*<[^{};()\\n]{0,200}>)?(?:\\s*\\[\\s*\\])*\\s+)?([A-Za-z_$][\\w$]*)\\s*\\(");
  private static final Set<String> NOT_TYPES = Set.of("return", "new", "else", "throw", "case", "yield");
  private static final Set<String> NOT_NAMES = Set.of("if", "for", "while", "switch", "catch", "synchronized", "try");

  private JavaMethods() {}

  static List<FunctionSignature> find(String source) {
    SourceText text = SourceText.cLike(source);
    String code = text.code();
    List<FunctionSignature> found = new ArrayList<>();
    Matcher m = DECLARATION.matcher(code);
    int from = 0;
    while (from < code.length() && m.find(from)) {
      String type = m.group(2) == null ? null : m.group(2).trim();
      String name = m.group(3);
      int open = m.end() - 1;
      int close = text.closing(open);
      if (close < 0) break;
      int after = text.skipSpace(close + 1);
      if (code.startsWith("throws", after)) {
        int body = code.indexOf('{', after);
        int semicolon = code.indexOf(';', after);
        after = body < 0 || (semicolon >= 0 && semicolon < body) ? -1 : body;
      }
      boolean declares = after >= 0 && after < code.length() && code.charAt(after) == '{'
          && !NOT_NAMES.contains(name) && (type == null ? !m.group(1).isBlank() || isConstructor(code, m.start(3))
          : !NOT_TYPES.contains(type.split("\\s")[0]));
      if (!declares) {
        from = open + 1;
        continue;
      }
      int end = text.closing(after);
      if (end < 0) end = code.length();
      found.add(new FunctionSignature(Language.JAVA, name, type, parameters(text.flatCode(open + 1, close)),
          text.lineOf(m.start(3)), text.lineOf(end), source.substring(after + 1, end)));
      // methods inside this body would be local classes' members: rare, and not what is asked for
      from = after + 1;
    }
    return found;
  }

  private static boolean isConstructor(String code, int nameStart) {
    return nameStart > 0 && Character.isUpperCase(code.charAt(nameStart));
  }

  private static List<FunctionSignature.Parameter> parameters(String list) {
    List<FunctionSignature.Parameter> parameters = new ArrayList<>();
    for (String part : ParameterLists.split(list)) {
      String cleaned = part.replaceAll("@[\\w.]+(\\([^)]*\\))?\\s*", "").replaceAll("\\bfinal\\s+", "").trim();
      int space = cleaned.lastIndexOf(' ');
      if (space < 0) continue;
      parameters.add(new FunctionSignature.Parameter(cleaned.substring(0, space).trim(), cleaned.substring(space + 1)));
    }
    return parameters;
  }
}
