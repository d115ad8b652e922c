package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ways out of a function that signal failure, with the condition guarding each, read from its body. */
final class ErrorPaths {
  /** One error exit: the value returned or raised, and the {@code if} condition before it (or null). */
  record ErrorPath(String outcome, String guard) {}

  private static final Pattern C = Pattern.compile(
      "\\breturn\\s+(-\\s*E[A-Z0-9_]+|-\\s*1|NULL|false|ERR_PTR\\s*\\([^;]*\\)|[A-Z_]*ERR[A-Z_]*|-\\s*[A-Z][A-Z0-9_]+)\\s*;"
          + "|\\bgoto\\s+(\\w*(?:err|fail|bad|invalid)\\w*)\\s*;");
  private static final Pattern JAVA_OR_SCRIPT = Pattern.compile(
      "\\bthrow\\s+new\\s+([A-Za-z_][\\w.]*)\\s*\\(|\\breturn\\s+(null|undefined|Optional\\.empty\\(\\))\\s*;");
  private static final Pattern PYTHON = Pattern.compile("\\braise\\s+([A-Za-z_][\\w.]*)|\\breturn\\s+(None)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern GO = Pattern.compile(
      "\\breturn\\b[^\\n]*?(errors\\.New\\(\"[^\"]*\"\\)|fmt\\.Errorf\\(\"[^\"]*\"|\\bErr[A-Z]\\w*|\\berr\\b)");
  private static final int MAX_PATHS = 8;

  private ErrorPaths() {}

  static List<ErrorPath> of(FunctionSignature function) {
    String body = function.body();
    if (body == null || body.isBlank()) return List.of();
    Pattern pattern = switch (function.language()) {
      case C -> C;
      case JAVA, SCRIPT -> JAVA_OR_SCRIPT;
      case PYTHON -> PYTHON;
      case GO -> GO;
    };
    Map<String, ErrorPath> paths = new LinkedHashMap<>();
    Matcher m = pattern.matcher(body);
    while (m.find() && paths.size() < MAX_PATHS) {
      String outcome = outcome(function.language(), m);
      if (outcome == null) continue;
      String guard = guard(body, m.start(), function.language());
      paths.putIfAbsent(outcome + "|" + guard, new ErrorPath(outcome, guard));
    }
    return new ArrayList<>(paths.values());
  }

  private static String outcome(Language language, Matcher m) {
    String value = m.group(1) != null ? m.group(1) : m.group(2);
    if (value == null) return null;
    value = language == Language.C ? value.replaceAll("\\s+", "") : value.replaceAll("\\s+", " ");
    return switch (language) {
      case C -> m.group(2) != null && m.group(1) == null ? "takes its error exit (goto " + value + ")" : "returns " + value;
      case JAVA, SCRIPT -> m.group(1) != null ? "throws " + value : "returns " + value;
      case PYTHON -> m.group(1) != null ? "raises " + value : "returns None";
      case GO -> "returns an error (" + (value.startsWith("fmt.Errorf(") ? value.substring(11) : value) + ")";
    };
  }

  /** The condition of the {@code if} that leads straight to the exit at {@code at}, or null. */
  private static String guard(String body, int at, Language language) {
    int from = Math.max(0, at - 400);
    String before = body.substring(from, at);
    Matcher ifs = Pattern.compile("\\bif\\b\\s*").matcher(before);
    int last = -1;
    int conditionStart = -1;
    while (ifs.find()) {
      last = ifs.start();
      conditionStart = ifs.end();
    }
    if (last < 0) return null;
    String rest = before.substring(conditionStart);
    String condition;
    String between;
    if (language == Language.PYTHON || language == Language.GO) {
      int end = language == Language.PYTHON ? rest.lastIndexOf(':') : rest.indexOf('{');
      if (end < 0) return null;
      condition = rest.substring(0, end);
      between = rest.substring(end + 1);
    } else {
      if (!rest.startsWith("(")) return null;
      int close = closingParen(rest);
      if (close < 0) return null;
      condition = rest.substring(1, close);
      between = rest.substring(close + 1);
    }
    if (!between.matches("\\s*\\{?\\s*")) return null;
    String flat = condition.replaceAll("\\s+", " ").trim();
    if (language == Language.PYTHON || language == Language.GO) {
      flat = flat.replaceAll("^\\((.*)\\)$", "$1");
    }
    return flat.isEmpty() || flat.length() > 160 ? null : flat;
  }

  private static int closingParen(String text) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '(') depth++;
      else if (text.charAt(i) == ')' && --depth == 0) return i;
    }
    return -1;
  }
}
