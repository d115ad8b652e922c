package dev.stepwise.testcases.generation;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a parameter holds, read from its type (and, where the language gives no type, its name). */
enum ParameterKind {
  STRING, BUFFER, POINTER, CALLBACK, SIZE, SIGNED, UNSIGNED, FLOAT, BOOL, COLLECTION, MAP, CONTEXT, VARIADIC, OTHER;

  private static final Pattern SIZE_NAME = Pattern.compile(
      "(?i)(len|length|size|sz|count|cnt|n|num|nbytes|nmemb|cap|capacity|max|limit|bytes|width|height|total)(_.*)?|.*(len|size|count|capacity)");
  private static final Pattern STRING_NAME = Pattern.compile("(?i).*(name|path|str|text|string|key|label|url|msg|message|word|line|file)s?");
  private static final Pattern BUFFER_NAME = Pattern.compile("(?i)(buf|buffer|data|bytes|payload|block|raw|dst|src|dest|out|in)\\w*");

  /** Whether a value of this kind can be null (NULL, null, None, nil, undefined). */
  boolean nullable(Language language) {
    return switch (this) {
      case STRING -> language != Language.GO;
      case BUFFER, POINTER, CALLBACK, COLLECTION, MAP -> true;
      case OTHER -> language != Language.GO && language != Language.C;
      default -> false;
    };
  }

  static ParameterKind of(Language language, FunctionSignature.Parameter parameter) {
    String name = parameter.name();
    if (parameter.type() == null) return byName(name);
    String type = parameter.type().trim();
    String lower = type.toLowerCase(Locale.ROOT);
    if (type.equals("...") || type.startsWith("...")) return VARIADIC;
    return switch (language) {
      case C -> c(lower, name);
      case JAVA -> java(type, name);
      case PYTHON -> python(lower.replaceAll("optional\\[(.*)]", "$1").replace("| none", "").trim(), name);
      case GO -> go(lower, name);
      case SCRIPT -> script(lower.replace("| undefined", "").replace("| null", "").trim(), name);
    };
  }

  private static ParameterKind c(String type, String name) {
    if (type.contains("(")) return CALLBACK;
    boolean pointer = type.contains("*") || type.contains("[");
    String base = type.replaceAll("\\b(const|volatile|restrict|__restrict|unsigned|signed|struct|union|enum)\\b", " $1 ").trim();
    if (pointer) {
      // a const char * is read as text; a plain char * is written to, like any buffer
      if (type.matches(".*\\bconst\\s+char\\s*\\*.*") && !type.contains("**")) return STRING;
      if (type.matches(".*\\bchar\\s*\\*.*") && !type.contains("**")) return BUFFER;
      if (type.matches(".*\\b(void|u8|uint8_t|unsigned char|__u8|uchar|byte)\\b.*")) return BUFFER;
      return POINTER;
    }
    if (type.matches(".*\\b(size_t|ssize_t|off_t|socklen_t|loff_t)\\b.*")) return type.contains("ssize") ? SIGNED : SIZE;
    if (type.matches(".*\\b(bool|_bool)\\b.*")) return BOOL;
    if (type.matches(".*\\b(float|double)\\b.*")) return FLOAT;
    if (base.matches(".*\\b(unsigned|uint\\d*_t|u8|u16|u32|u64|__u\\d+|uint)\\b.*")) {
      return SIZE_NAME.matcher(name).matches() ? SIZE : UNSIGNED;
    }
    if (type.matches(".*\\b(int|long|short|char|int\\d+_t|s8|s16|s32|s64|__s\\d+|enum .*)\\b.*")) {
      return SIZE_NAME.matcher(name).matches() ? SIZE : SIGNED;
    }
    return OTHER;
  }

  private static ParameterKind java(String type, String name) {
    if (type.equals("byte[]") || type.equals("ByteBuffer")) return BUFFER;
    if (type.endsWith("[]") || type.matches("(List|Collection|Set|Iterable|Queue|Deque|Stream)\\b.*")) return COLLECTION;
    if (type.matches("(Map|SortedMap|NavigableMap)\\b.*")) return MAP;
    if (type.matches("String|CharSequence|StringBuilder")) return STRING;
    if (type.matches("int|long|short|byte|Integer|Long|Short|Byte|BigInteger")) {
      return SIZE_NAME.matcher(name).matches() ? SIZE : SIGNED;
    }
    if (type.matches("float|double|Float|Double|BigDecimal")) return FLOAT;
    if (type.matches("boolean|Boolean")) return BOOL;
    if (type.matches("(Function|Consumer|Supplier|Predicate|Runnable|Callable|BiFunction)\\b.*")) return CALLBACK;
    return OTHER;
  }

  private static ParameterKind python(String type, String name) {
    if (type.matches("str")) return STRING;
    if (type.matches("bytes|bytearray|memoryview")) return BUFFER;
    if (type.matches("int")) return SIZE_NAME.matcher(name).matches() ? SIZE : SIGNED;
    if (type.matches("float|decimal")) return FLOAT;
    if (type.matches("bool")) return BOOL;
    if (type.matches("(list|tuple|set|frozenset|sequence|iterable|collection)\\b.*")) return COLLECTION;
    if (type.matches("(dict|mapping|mutablemapping)\\b.*")) return MAP;
    if (type.matches("callable\\b.*")) return CALLBACK;
    return OTHER;
  }

  private static ParameterKind go(String type, String name) {
    if (type.equals("string")) return STRING;
    if (type.equals("[]byte")) return BUFFER;
    if (type.startsWith("[]") || type.startsWith("...")) return COLLECTION;
    if (type.startsWith("map[")) return MAP;
    if (type.startsWith("*")) return POINTER;
    if (type.startsWith("func")) return CALLBACK;
    if (type.equals("context.context")) return CONTEXT;
    if (type.matches("uint\\d*|uintptr|byte")) return SIZE_NAME.matcher(name).matches() ? SIZE : UNSIGNED;
    if (type.matches("int\\d*|rune")) return SIZE_NAME.matcher(name).matches() ? SIZE : SIGNED;
    if (type.matches("float\\d+")) return FLOAT;
    if (type.equals("bool")) return BOOL;
    return OTHER;
  }

  private static ParameterKind script(String type, String name) {
    if (type.equals("string")) return STRING;
    if (type.matches("(uint8array|buffer|arraybuffer)")) return BUFFER;
    if (type.equals("number") || type.equals("bigint")) return SIZE_NAME.matcher(name).matches() ? SIZE : SIGNED;
    if (type.equals("boolean")) return BOOL;
    if (type.endsWith("[]") || type.startsWith("array<") || type.startsWith("readonlyarray<") || type.equals("array")) {
      return COLLECTION;
    }
    if (type.startsWith("record<") || type.startsWith("map<") || type.equals("object") || type.startsWith("{")) return MAP;
    if (type.contains("=>")) return CALLBACK;
    if (type.equals("any") || type.equals("unknown")) return byName(name);
    return OTHER;
  }

  private static ParameterKind byName(String name) {
    if (name.startsWith("*")) return name.startsWith("**") ? MAP : COLLECTION;
    if (SIZE_NAME.matcher(name).matches()) return SIZE;
    if (BUFFER_NAME.matcher(name).matches()) return BUFFER;
    if (STRING_NAME.matcher(name).matches()) return STRING;
    if (name.matches("(?i)(is|has|should|enable|allow|use)_?[A-Za-z].*|flag|enabled|verbose|strict|force")) return BOOL;
    if (name.matches("(?i)(items|values|list|elements|entries|rows|args)")) return COLLECTION;
    if (name.matches("(?i)(callback|cb|fn|func|handler|on_?[a-z].*)")) return CALLBACK;
    return OTHER;
  }
}
