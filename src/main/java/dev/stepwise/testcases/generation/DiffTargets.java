package dev.stepwise.testcases.generation;

import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a unified diff ({@code git diff} output, with renames and new files) into the functions it
 * changes. Files and changed lines come from java-diff-utils; the function each hunk is in comes
 * from the source tree when it holds the changed file as the diff leaves it, and otherwise from the
 * hunk headers ({@code @@ -1,4 +1,5 @@ int parse(char *s)}) and the definitions in added lines.
 */
public final class DiffTargets {
  static final int MAX_FILES = 200;
  static final int MAX_TARGETS = 100;
  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,(\\d+))? @@ ?(.*)$");

  private final Targets targets;

  public DiffTargets(Targets targets) {
    this.targets = targets;
  }

  /** What a diff asks to test, and what was skipped and why. */
  public record Result(List<Target> targets, List<String> notes) {}

  /** A diff that cannot be used: the reason names the file or line. */
  public static final class BadDiff extends RuntimeException {
    BadDiff(String message) {
      super(message);
    }
  }

  private record HunkHeader(int newStart, int newCount, String section) {}

  private record FileChange(UnifiedDiffFile file, String oldPath, String newPath, boolean added, boolean deleted) {}

  public Result read(String diff) {
    UnifiedDiff parsed;
    try {
      parsed = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(diff.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      throw new BadDiff("is not a unified diff that can be read: " + e.getMessage());
    }
    if (parsed.getFiles().isEmpty()) throw new BadDiff("holds no file changes (expected `git diff` or `diff -u` output)");
    if (parsed.getFiles().size() > MAX_FILES) throw new BadDiff("changes more than " + MAX_FILES + " files");
    Map<String, List<HunkHeader>> headers = hunkHeaders(diff);
    List<Target> found = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (UnifiedDiffFile file : parsed.getFiles()) {
      FileChange change = change(file);
      String problem = SourceTree.unsafe(change.deleted() ? change.oldPath() : change.newPath());
      if (problem != null) throw new BadDiff("names the file '" + change.newPath() + "', which " + problem.replaceFirst("^must", "must"));
      if (change.deleted()) {
        notes.add(change.oldPath() + " is deleted: nothing left to test there");
        continue;
      }
      if (Language.forPath(change.newPath()).isEmpty()) {
        notes.add(change.newPath() + " is not source the analyser reads; skipped");
        continue;
      }
      List<Integer> lines = changedLines(file);
      if (lines.isEmpty()) {
        notes.add(change.newPath() + (change.oldPath() != null && !change.oldPath().equals(change.newPath())
            ? " is renamed from " + change.oldPath() + " without changes to its content: nothing new to test"
            : " has no changed lines"));
        continue;
      }
      List<Target> fileTargets = functionsOf(change, lines, headers.getOrDefault(change.newPath(), List.of()));
      if (fileTargets.isEmpty()) notes.add(change.newPath() + ": the changed lines are outside any function");
      found.addAll(fileTargets);
    }
    if (found.size() > MAX_TARGETS) {
      notes.add("the diff changes " + found.size() + " functions; the first " + MAX_TARGETS + " are used");
      return new Result(List.copyOf(found.subList(0, MAX_TARGETS)), notes);
    }
    return new Result(found, notes);
  }

  private static FileChange change(UnifiedDiffFile file) {
    String from = strip(file.getRenameFrom() != null ? file.getRenameFrom() : file.getFromFile());
    String to = strip(file.getRenameTo() != null ? file.getRenameTo() : file.getToFile());
    boolean added = file.getNewFileMode() != null || "/dev/null".equals(file.getFromFile());
    boolean deleted = file.getDeletedFileMode() != null || "/dev/null".equals(file.getToFile());
    if (to == null || to.equals("/dev/null")) to = from;
    return new FileChange(file, added ? null : from, to, added, deleted);
  }

  private static String strip(String path) {
    if (path == null) return null;
    String trimmed = path.trim();
    if (trimmed.startsWith("a/") || trimmed.startsWith("b/")) return trimmed.substring(2);
    return trimmed;
  }

  /** The changed lines of the new file, 1-based; a pure deletion counts the line where it was. */
  private static List<Integer> changedLines(UnifiedDiffFile file) {
    TreeSet<Integer> lines = new TreeSet<>();
    if (file.getPatch() == null) return List.of();
    for (AbstractDelta<String> delta : file.getPatch().getDeltas()) lines.addAll(changedLines(delta.getTarget()));
    return List.copyOf(lines);
  }

  private static List<Integer> changedLines(Chunk<String> target) {
    List<Integer> positions = target.getChangePosition();
    // java-diff-utils gives changed positions as line numbers of the new file (1-based)
    if (positions != null && !positions.isEmpty()) return positions;
    List<Integer> lines = new ArrayList<>();
    for (int i = 0; i < target.size(); i++) lines.add(target.getPosition() + i + 1);
    if (lines.isEmpty()) lines.add(Math.max(1, target.getPosition() + 1));
    return lines;
  }

  private List<Target> functionsOf(FileChange change, List<Integer> lines, List<HunkHeader> hunks) {
    Language language = Language.forPath(change.newPath()).orElseThrow();
    List<String> added = addedLines(change.file());
    SourceTree.Lookup lookup = targets.tree().read(change.newPath());
    if (lookup.found()) {
      Located located = locate(lookup.text(), change.file());
      if (located != null) {
        String note = located.moved() == 0 ? null : change.newPath() + ": " + located.moved() + " of the diff's hunks "
            + "were found by their context " + located.largestOffset() + " lines from where the diff puts them (the "
            + "source has moved on), as patch does with an offset";
        return fromSource(change, language, lookup.text(), located.lines(), note);
      }
    }
    String why = lookup.found() ? change.newPath() + " under testing.source_root does not hold the diff's lines, so "
        + "functions were read from the diff itself" : lookup.problem() + "; functions were read from the diff itself";
    return fromDiffAlone(change, language, lines, hunks, added, why);
  }

  /**
   * Where the diff's hunks are in the source file, found by their lines as the diff leaves them
   * (context and added lines): at the stated place, or else at the nearest place they match, as
   * {@code patch} applies a hunk with an offset. {@code null} when a hunk is nowhere in the file.
   *
   * @param lines the changed lines, numbered as the source file has them
   * @param moved how many hunks were found away from their stated place
   */
  private record Located(List<Integer> lines, int moved, int largestOffset) {}

  private static Located locate(String text, UnifiedDiffFile file) {
    List<String> fileLines = text.lines().toList();
    TreeSet<Integer> lines = new TreeSet<>();
    int moved = 0;
    int largest = 0;
    for (AbstractDelta<String> delta : file.getPatch().getDeltas()) {
      Chunk<String> target = delta.getTarget();
      Integer offset = offsetOf(fileLines, target.getLines(), target.getPosition());
      if (offset == null) return null;
      if (offset != 0) moved++;
      largest = Math.max(largest, Math.abs(offset));
      for (int changed : changedLines(target)) lines.add(changed + offset);
    }
    return new Located(List.copyOf(lines), moved, largest);
  }

  /** How far from {@code stated} (0-based) the hunk's lines stand in the file, nearest first; null when nowhere. */
  private static Integer offsetOf(List<String> fileLines, List<String> hunk, int stated) {
    int last = fileLines.size() - hunk.size();
    for (int distance = 0; distance <= Math.max(stated, last - stated); distance++) {
      for (int at : new int[] {stated - distance, stated + distance}) {
        if (at >= 0 && at <= last && fileLines.subList(at, at + hunk.size()).equals(hunk)) return at - stated;
      }
    }
    return null;
  }

  private static List<Target> fromSource(FileChange change, Language language, String text, List<Integer> lines,
      String note) {
    Map<String, Target> byName = new LinkedHashMap<>();
    for (FunctionSignature function : Targets.functionsOf(language, text)) {
      if (function.body().isEmpty() && language == Language.C) continue;
      List<Integer> inside = lines.stream().filter(function::containsLine).toList();
      if (inside.isEmpty() || byName.containsKey(function.name())) continue;
      boolean whollyNew = change.added() || inside.size() >= function.lastLine() - function.firstLine() + 1;
      byName.put(function.name(), new Target(change.newPath(), function.name(), language, function, note,
          new Target.Change(whollyNew ? "added" : change.oldPath() != null && !change.oldPath().equals(change.newPath())
              ? "renamed" : "modified", renamedFrom(change), inside, excerpt(text, inside))));
    }
    return new ArrayList<>(byName.values());
  }

  private List<Target> fromDiffAlone(FileChange change, Language language, List<Integer> lines, List<HunkHeader> hunks,
      List<String> added, String why) {
    Map<String, Target> byName = new LinkedHashMap<>();
    inHunkLines(change, language, why, byName);
    String addedText = String.join("\n", added);
    for (FunctionSignature function : Targets.functionsOf(language, addedText)) {
      byName.putIfAbsent(function.name(), new Target(change.newPath(), function.name(), language, function, why,
          new Target.Change("added", renamedFrom(change), List.of(), List.of())));
    }
    for (HunkHeader hunk : hunks) {
      FunctionSignature function = signatureIn(language, hunk.section());
      String name = function != null ? function.name() : nameIn(hunk.section());
      if (name == null || byName.containsKey(name)) continue;
      List<Integer> inside = lines.stream().filter(l -> l >= hunk.newStart() && l < hunk.newStart() + hunk.newCount())
          .toList();
      byName.put(name, new Target(change.newPath(), name, language, function, why,
          new Target.Change(change.oldPath() != null && !change.oldPath().equals(change.newPath()) ? "renamed"
              : "modified", renamedFrom(change), inside, added.stream().limit(3).map(DiffTargets::shorten).toList())));
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * The functions whose definition the diff itself shows: each hunk's lines as the diff leaves them
   * (context and added lines) are read as source, and a function that holds a changed line is a
   * target with its signature.
   */
  private static void inHunkLines(FileChange change, Language language, String why, Map<String, Target> byName) {
    for (AbstractDelta<String> delta : change.file().getPatch().getDeltas()) {
      Chunk<String> target = delta.getTarget();
      List<String> hunkLines = target.getLines();
      List<Integer> changed = changedLines(target);
      for (FunctionSignature function : Targets.functionsOf(language, String.join("\n", hunkLines))) {
        int first = target.getPosition() + function.firstLine();
        int last = target.getPosition() + function.lastLine();
        List<Integer> inside = changed.stream().filter(l -> l >= first && l <= last).toList();
        if (inside.isEmpty() || byName.containsKey(function.name())) continue;
        boolean whollyNew = change.added() || inside.size() >= last - first + 1;
        byName.put(function.name(), new Target(change.newPath(), function.name(), language, function, why,
            new Target.Change(whollyNew ? "added" : renamedFrom(change) != null ? "renamed" : "modified",
                renamedFrom(change), inside, inside.stream().map(l -> hunkLines.get(l - target.getPosition() - 1))
                    .map(String::trim).filter(line -> !line.isEmpty()).limit(3).map(DiffTargets::shorten).toList())));
      }
    }
  }

  /** The name a hunk header's section shows being called or defined, when no signature can be read from it. */
  private static String nameIn(String section) {
    if (section == null) return null;
    Matcher m = Pattern.compile("([A-Za-z_$][\\w$]*)\\s*\\(").matcher(section);
    while (m.find()) {
      if (!java.util.Set.of("if", "for", "while", "switch", "return", "sizeof").contains(m.group(1))) return m.group(1);
    }
    return null;
  }

  /** A signature read from a hunk header's section text, which is the line a function starts with. */
  private static FunctionSignature signatureIn(Language language, String section) {
    if (section == null || section.isBlank()) return null;
    String line = section.trim();
    long open = line.chars().filter(c -> c == '(').count() - line.chars().filter(c -> c == ')').count();
    if (open > 0) line = line.replaceAll(",\\s*$", "") + ")".repeat((int) open);
    String probe = switch (language) {
      case PYTHON -> line + (line.endsWith(":") ? "" : ":") + "\n    pass\n";
      default -> (line.endsWith("{") ? line : line + " {") + "\n}\n";
    };
    List<FunctionSignature> found = Targets.functionsOf(language, probe);
    if (found.isEmpty()) return null;
    FunctionSignature f = found.getFirst();
    return new FunctionSignature(f.language(), f.name(), f.returnType(), f.parameters(), 0, 0, "");
  }

  private static String renamedFrom(FileChange change) {
    return change.oldPath() != null && !change.oldPath().equals(change.newPath()) ? change.oldPath() : null;
  }

  private static List<String> addedLines(UnifiedDiffFile file) {
    List<String> added = new ArrayList<>();
    if (file.getPatch() == null) return added;
    for (AbstractDelta<String> delta : file.getPatch().getDeltas()) {
      Chunk<String> target = delta.getTarget();
      List<Integer> positions = target.getChangePosition();
      for (int i = 0; i < target.size(); i++) {
        if (positions == null || positions.isEmpty() || positions.contains(target.getPosition() + i + 1)) {
          added.add(target.getLines().get(i));
        }
      }
    }
    return added;
  }

  private static List<String> excerpt(String text, List<Integer> lines) {
    List<String> all = text.lines().toList();
    return lines.stream().filter(l -> l - 1 < all.size()).map(l -> all.get(l - 1).trim()).filter(s -> !s.isEmpty())
        .limit(3).map(DiffTargets::shorten).toList();
  }

  private static String shorten(String line) {
    String trimmed = line.trim();
    return "`" + (trimmed.length() > 100 ? trimmed.substring(0, 97) + "..." : trimmed) + "`";
  }

  /** Each file's hunk headers, which java-diff-utils does not keep. */
  private static Map<String, List<HunkHeader>> hunkHeaders(String diff) {
    Map<String, List<HunkHeader>> headers = new LinkedHashMap<>();
    String current = null;
    for (String line : diff.split("\n")) {
      if (line.startsWith("diff --git ")) {
        int newSide = line.lastIndexOf(" b/");
        current = newSide < 0 ? null : line.substring(newSide + 3).replaceAll("\"$", "");
      } else if (line.startsWith("+++ ")) {
        String path = strip(line.substring(4).split("\t")[0]);
        if (!"/dev/null".equals(path)) current = path;
      } else if (current != null) {
        Matcher hunk = HUNK.matcher(line);
        if (hunk.matches()) {
          headers.computeIfAbsent(current, k -> new ArrayList<>()).add(new HunkHeader(Integer.parseInt(hunk.group(1)),
              hunk.group(2) == null ? 1 : Integer.parseInt(hunk.group(2)), hunk.group(3)));
        }
      }
    }
    return headers;
  }
}
