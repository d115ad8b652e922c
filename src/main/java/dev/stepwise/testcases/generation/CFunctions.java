package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds C (and C-style C++) function definitions and prototypes at file level: a name followed by
 * a parameter list, then a body or a semicolon, with the return type read back to the previous
 * declaration's end. Preprocessor lines are skipped; macros that look like calls are not mistaken
 * for definitions because a definition needs a return type.
 */
final class CFunctions {
  private static final Pattern NAME_THEN_PAREN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
  private static final Pattern ATTRIBUTE = Pattern.compile("\\G\\s*(__attribute__\\s*\\(|const\\b|noexcept\\b|override\\b)");
  private static final Set<String> NOT_NAMES = Set.of("if", "while", "for", "switch", "return", "sizeof", "defined",
      "__attribute__", "typeof", "__typeof__", "alignof", "_Alignof", "_Static_assert", "static_assert", "do", "else");
  private static final Set<String> QUALIFIERS = Set.of("static", "inline", "extern", "__inline", "__inline__",
      "__always_inline", "noinline", "__init", "__exit", "__cold", "__hot", "__must_check", "virtual", "constexpr");

  private CFunctions() {}

  static List<FunctionSignature> find(String source) {
    SourceText text = SourceText.cLike(withoutPreprocessor(source));
    String code = text.code();
    List<FunctionSignature> found = new ArrayList<>();
    int depth = 0;
    int declarationStart = 0;
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '{') {
        depth++;
        i++;
        continue;
      }
      if (c == '}') {
        depth = Math.max(0, depth - 1);
        i++;
        if (depth == 0) declarationStart = i;
        continue;
      }
      if (c == ';' && depth == 0) {
        declarationStart = i + 1;
        i++;
        continue;
      }
      if (depth == 0 && Character.isJavaIdentifierStart(c) && (i == 0 || !Character.isJavaIdentifierPart(code.charAt(i - 1)))) {
        Matcher m = NAME_THEN_PAREN.matcher(code);
        m.region(i, code.length());
        if (m.lookingAt() && !NOT_NAMES.contains(m.group(1))) {
          int open = m.end() - 1;
          int close = text.closing(open);
          if (close < 0) break;
          String returnType = returnType(text.flatCode(declarationStart, i));
          int after = skipAttributes(text, close + 1);
          if (returnType != null && after < code.length() && (code.charAt(after) == '{' || code.charAt(after) == ';')) {
            boolean definition = code.charAt(after) == '{';
            int end = definition ? text.closing(after) : after;
            if (end < 0) end = code.length();
            found.add(new FunctionSignature(Language.C, m.group(1), returnType,
                parameters(text.flatCode(open + 1, close)), text.lineOf(text.skipSpace(declarationStart)), text.lineOf(end),
                definition ? source.substring(after + 1, end) : ""));
            declarationStart = end + 1;
            i = end + 1;
            continue;
          }
          // a call or macro at file level (DEFINE_LOCK(x)) ends what a declaration can start with
          declarationStart = close + 1;
          i = close + 1;
          continue;
        }
      }
      i++;
    }
    return found;
  }

  /** Blanks preprocessor lines (keeping their newlines) so that macros are not read as code. */
  private static String withoutPreprocessor(String source) {
    StringBuilder out = new StringBuilder(source.length());
    boolean continued = false;
    for (String line : source.split("\n", -1)) {
      boolean directive = continued || line.stripLeading().startsWith("#");
      out.append(directive ? " ".repeat(line.length()) : line).append('\n');
      continued = directive && line.endsWith("\\");
    }
    return out.substring(0, Math.max(0, out.length() - 1));
  }

  private static int skipAttributes(SourceText text, int from) {
    int at = from;
    while (true) {
      Matcher m = ATTRIBUTE.matcher(text.code());
      m.region(at, text.code().length());
      if (!m.lookingAt()) return text.skipSpace(at);
      at = m.group(1).startsWith("__attribute__") ? text.closing(m.end() - 1) + 1 : m.end();
      if (at <= 0) return text.code().length();
    }
  }

  /** The return type from the text between the previous declaration and the name; null if it is no definition. */
  private static String returnType(String prefix) {
    if (prefix.isEmpty() || prefix.contains("=") || prefix.contains("(") || prefix.contains(")")) return null;
    List<String> words = new ArrayList<>(List.of(prefix.replace("*", " * ").trim().split("\\s+")));
    words.removeIf(QUALIFIERS::contains);
    if (words.isEmpty() || words.getFirst().equals("return") || words.getFirst().equals("typedef")) return null;
    return String.join(" ", words).replace(" *", "*").replace("* ", "*").replaceAll("([A-Za-z0-9_])\\*", "$1 *");
  }

  private static List<FunctionSignature.Parameter> parameters(String list) {
    List<FunctionSignature.Parameter> parameters = new ArrayList<>();
    for (String part : ParameterLists.split(list)) {
      if (part.equals("void")) continue;
      if (part.equals("...")) {
        parameters.add(new FunctionSignature.Parameter("...", "..."));
        continue;
      }
      parameters.add(parameter(part));
    }
    return parameters;
  }

  static FunctionSignature.Parameter parameter(String declaration) {
    Matcher pointerToFunction = Pattern.compile("\\(\\s*\\*\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)").matcher(declaration);
    if (pointerToFunction.find()) {
      return new FunctionSignature.Parameter(declaration.replace(pointerToFunction.group(1), "").replaceAll("\\s+", " "),
          pointerToFunction.group(1));
    }
    Matcher last = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*((?:\\[[^\\]]*\\]\\s*)*)$").matcher(declaration);
    if (!last.find() || last.start() == 0) return new FunctionSignature.Parameter(declaration, "arg");
    String type = (declaration.substring(0, last.start()) + last.group(2)).trim().replaceAll("\\s+", " ");
    return new FunctionSignature.Parameter(type.replaceAll("\\s*\\*", " *").trim(), last.group(1));
  }
}
