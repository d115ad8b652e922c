package dev.stepwise.testcases.generation;

/**
 * A source file with its comments and string literals blanked out (replaced by spaces, newlines
 * kept), so that brackets and names can be found by scanning without being fooled by text. Offsets
 * and line numbers are those of the original. Immutable.
 */
final class SourceText {
  private final String original;
  private final String code;
  private final int[] lineStarts;

  private SourceText(String original, String code) {
    this.original = original;
    this.code = code;
    this.lineStarts = original.lines().count() == 0 ? new int[] {0} : lineStarts(original);
  }

  /** C, C++, Java, Go, JavaScript and TypeScript: {@code //} and {@code /* *\/} comments, quotes. */
  static SourceText cLike(String source) {
    return new SourceText(source, blank(source, false));
  }

  /** Python: {@code #} comments, single and triple quotes. */
  static SourceText python(String source) {
    return new SourceText(source, blank(source, true));
  }

  String original() {
    return original;
  }

  /** The text with comments and literals blanked. */
  String code() {
    return code;
  }

  /** The 1-based line of an offset. */
  int lineOf(int offset) {
    int low = 0;
    int high = lineStarts.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** The offset of the bracket closing the one at {@code open}, or -1 when it is never closed. */
  int closing(int open) {
    char opening = code.charAt(open);
    char closing = switch (opening) {
      case '(' -> ')';
      case '{' -> '}';
      case '[' -> ']';
      case '<' -> '>';
      default -> throw new IllegalArgumentException("not a bracket: " + opening);
    };
    int depth = 0;
    for (int i = open; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == opening) depth++;
      else if (c == closing && --depth == 0) return i;
    }
    return -1;
  }

  /** The first offset at or after {@code from} that is not whitespace, or the length. */
  int skipSpace(int from) {
    int i = from;
    while (i < code.length() && Character.isWhitespace(code.charAt(i))) i++;
    return i;
  }

  /** Original text between two offsets, with runs of whitespace made single spaces. */
  String flat(int from, int to) {
    return original.substring(from, to).replaceAll("\\s+", " ").trim();
  }

  /** Code text (comments blanked) between two offsets, whitespace collapsed. */
  String flatCode(int from, int to) {
    return code.substring(from, to).replaceAll("\\s+", " ").trim();
  }

  private static int[] lineStarts(String text) {
    var starts = new java.util.ArrayList<Integer>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String blank(String source, boolean python) {
    char[] out = source.toCharArray();
    int i = 0;
    int n = out.length;
    while (i < n) {
      char c = source.charAt(i);
      if (!python && c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        i = blankUntilLineEnd(source, out, i);
      } else if (!python && c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blankRange(out, i, end);
        i = end;
      } else if (python && c == '#') {
        i = blankUntilLineEnd(source, out, i);
      } else if (python && (source.startsWith("\"\"\"", i) || source.startsWith("'''", i))) {
        int end = source.indexOf(source.substring(i, i + 3), i + 3);
        end = end < 0 ? n : end + 3;
        blankRange(out, i + 1, end - 1);
        i = end;
      } else if (c == '"' || c == '\'' || (!python && c == '`')) {
        int end = i + 1;
        while (end < n && source.charAt(end) != c && (c == '`' || source.charAt(end) != '\n')) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
        blankRange(out, i + 1, end - 1);
        i = end;
      } else {
        i++;
      }
    }
    return new String(out);
  }

  private static int blankUntilLineEnd(String source, char[] out, int from) {
    int end = source.indexOf('\n', from);
    end = end < 0 ? source.length() : end;
    blankRange(out, from, end);
    return end;
  }

  private static void blankRange(char[] out, int from, int to) {
    for (int k = Math.max(from, 0); k < Math.min(to, out.length); k++) if (out[k] != '\n') out[k] = ' ';
  }
}
