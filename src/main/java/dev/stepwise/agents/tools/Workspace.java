package dev.stepwise.agents.tools;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's workspace, and the file tools confined to it: {@code read_file}, {@code write_file} and
 * {@code list_files}. A path from the model is relative to the workspace; absolute paths, {@code ..}
 * and symlinks that lead out are refused, and the refusal is the tool's answer, not an error.
 * Thread-safe.
 */
public final class Workspace {
  static final long MAX_READ_BYTES = 1024 * 1024;
  static final int MAX_WRITE_CHARS = 1024 * 1024;
  static final int MAX_LISTED = 1000;
  static final int MAX_DEPTH = 4;

  private final Path root;

  public Workspace(Path root) throws IOException {
    this.root = Files.createDirectories(root).toRealPath();
  }

  public Path root() {
    return root;
  }

  /** Thrown when a path may not be used; its message is what the model is told. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * What is wrong with a path on its face, before the disk is looked at: empty, absolute, with
   * {@code ..} or NUL. {@code null} when nothing is. Checked at the edge of a direct call (a 422)
   * and again by {@link #resolve}, which also follows symlinks.
   */
  static String pathProblem(String relative) {
    if (relative == null || relative.isBlank()) return "give a path relative to the workspace";
    if (relative.indexOf('\0') >= 0) return "a path cannot contain NUL";
    if (relative.startsWith("/") || relative.startsWith("~") || relative.startsWith("\\")) {
      return "'" + relative + "' is absolute; give a path relative to the workspace";
    }
    for (String part : relative.split("[/\\\\]")) {
      if (part.equals("..")) return "'..' is not allowed: paths stay inside the workspace";
    }
    return null;
  }

  /** The workspace file a relative path names, checked not to lead out by any route. */
  Path resolve(String relative) throws Refused {
    String problem = pathProblem(relative);
    if (problem != null) throw new Refused(problem);
    Path path = root.resolve(relative).normalize();
    if (!path.startsWith(root)) throw new Refused("'" + relative + "' leads outside the workspace");
    // the deepest part that exists must really be inside: a symlink may not lead out
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
    try {
      if (existing != null && !existing.toRealPath().startsWith(root)) {
        throw new Refused("'" + relative + "' leads outside the workspace through a symlink");
      }
    } catch (IOException e) {
      // a dangling symlink: its target is unknown, so it is not followed
      throw new Refused("'" + relative + "' cannot be resolved: " + e.getMessage());
    }
    return path;
  }

  public ToolResult read(String relative) {
    try {
      Path file = resolve(relative);
      if (!Files.isRegularFile(file)) return ToolResult.refused("'" + relative + "' is not a file in the workspace");
      if (Files.size(file) > MAX_READ_BYTES) {
        return ToolResult.refused("'" + relative + "' is larger than " + MAX_READ_BYTES / 1024 + " KB");
      }
      return ToolResult.ok(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString());
    } catch (Refused e) {
      return ToolResult.refused(e.getMessage());
    } catch (CharacterCodingException e) {
      return ToolResult.refused("'" + relative + "' is not UTF-8 text");
    } catch (IOException e) {
      return ToolResult.refused("'" + relative + "' could not be read: " + e.getMessage());
    }
  }

  public ToolResult write(String relative, String content) {
    if (content == null) return ToolResult.refused("give the file's content");
    if (content.length() > MAX_WRITE_CHARS) return ToolResult.refused("the content is larger than 1 MB");
    try {
      Path file = resolve(relative);
      if (Files.isDirectory(file)) return ToolResult.refused("'" + relative + "' is a directory");
      Files.createDirectories(file.getParent());
      resolve(relative); // the directories just made are checked again, in case one raced in as a symlink
      Path temp = Files.createTempFile(file.getParent(), ".write-", ".tmp");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return ToolResult.ok("wrote " + content.getBytes(StandardCharsets.UTF_8).length + " bytes to " + relative);
    } catch (Refused e) {
      return ToolResult.refused(e.getMessage());
    } catch (IOException e) {
      return ToolResult.refused("'" + relative + "' could not be written: " + e.getMessage());
    }
  }

  /** The files under a directory, relative to it, directories with a trailing {@code /}; symlinks are not followed. */
  public ToolResult list(String relative) {
    try {
      Path dir = relative == null || relative.isBlank() || relative.equals(".") ? root : resolve(relative);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return ToolResult.refused("'" + relative + "' is not a directory in the workspace");
      }
      List<String> entries = new ArrayList<>();
      boolean more;
      try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
        var all = walk.filter(p -> !p.equals(dir)).sorted().limit(MAX_LISTED + 1L).toList();
        more = all.size() > MAX_LISTED;
        for (Path p : all.subList(0, Math.min(all.size(), MAX_LISTED))) {
          String name = dir.relativize(p).toString();
          entries.add(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name);
        }
      }
      if (more) entries.add("… (more than " + MAX_LISTED + " entries; list a subdirectory)");
      return ToolResult.ok(entries.isEmpty() ? "(empty)" : String.join("\n", entries));
    } catch (Refused e) {
      return ToolResult.refused(e.getMessage());
    } catch (IOException | java.io.UncheckedIOException e) {
      return ToolResult.refused("'" + relative + "' could not be listed: " + e.getMessage());
    }
  }
}
