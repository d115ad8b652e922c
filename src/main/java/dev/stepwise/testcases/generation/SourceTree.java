package dev.stepwise.testcases.generation;

import dev.stepwise.runners.ProcessStarts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The source files tests are generated for, under {@code testing.source_root}. A path from a
 * request never leads outside it: not by {@code ..}, not as an absolute path, not through a
 * symlink. The server's own data dir is never read, even when it lies inside. Thread-safe.
 */
public final class SourceTree {
  static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

  private final Path root;
  private final Path dataDir;

  /** @param root the source root, or {@code null} when none is configured */
  public SourceTree(Path root, Path dataDir) {
    this.root = root;
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Why {@code path} may not be used as a file path in the tree, or {@code null} when it may. */
  public static String unsafe(String path) {
    if (path.isBlank()) return "must not be empty";
    if (path.startsWith("/") || path.startsWith("~") || path.matches("^[A-Za-z]:.*")) {
      return "must be a path relative to testing.source_root, not an absolute one";
    }
    if (path.contains("\\")) return "must use '/' between directories";
    if (List.of(path.split("/")).contains("..")) return "must stay inside testing.source_root: '..' is not allowed";
    if (path.chars().anyMatch(c -> c < 0x20)) return "must not contain control characters";
    return null;
  }

  /** A file's text, or why it could not be read. */
  public record Lookup(String text, String problem) {
    boolean found() {
      return text != null;
    }
  }

  /**
   * Reads {@code relative}, which {@link #unsafe} accepted.
   *
   * @throws EscapesRoot when a symlink leads outside the source root
   */
  public Lookup read(String relative) {
    if (root == null) {
      return new Lookup(null, "testing.source_root is not set, so the source could not be read");
    }
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root)) throw new EscapesRoot(relative);
    if (!Files.exists(file)) return new Lookup(null, relative + " was not found under testing.source_root");
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root.toRealPath())) throw new EscapesRoot(relative);
      if (real.startsWith(dataDir.toFile().exists() ? dataDir.toRealPath() : dataDir)) {
        return new Lookup(null, relative + " lies in the server's data dir, which is never read");
      }
      if (!Files.isRegularFile(real)) return new Lookup(null, relative + " is not a regular file");
      if (Files.size(real) > MAX_FILE_BYTES) {
        return new Lookup(null, relative + " is larger than " + MAX_FILE_BYTES / 1024 / 1024 + " MB; not read");
      }
      return new Lookup(Files.readString(real, StandardCharsets.UTF_8), null);
    } catch (java.nio.charset.MalformedInputException e) {
      return new Lookup(null, relative + " is not UTF-8 text");
    } catch (IOException e) {
      return new Lookup(null, relative + " could not be read: " + e.getMessage());
    }
  }

  /** The source tree's git revision ({@code HEAD}), or {@code null} when it is not a git checkout. */
  public String revision() {
    if (root == null || !Files.isDirectory(root)) return null;
    try {
      Process git = ProcessStarts.start(new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD")
          .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD));
      // a hash fits the pipe's buffer: wait first, so that a stuck git cannot hold the caller
      if (!git.waitFor(5, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return null;
      }
      String out = new String(git.getInputStream().readNBytes(256), StandardCharsets.UTF_8).trim();
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A request's path leads outside the source root (through a symlink). */
  public static final class EscapesRoot extends RuntimeException {
    EscapesRoot(String path) {
      super(path + " leads outside testing.source_root");
    }
  }
}
