package dev.stepwise.tasks;

import dev.stepwise.web.ApiError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a repository asks of coding agents: its {@code AGENTS.md} (else {@code CLAUDE.md}) at the
 * root, as committed on the task's branch (the worktree's {@code HEAD}), never the working copy an
 * agent may have edited. Every phase's prompt carries it, whichever agent runs the task (OpenCode
 * does not read a repository's own configuration under Stepwise, so that nothing in a repository
 * starts outside the task's approval policy). Only a regular file is read, never a link, and at
 * most {@link #MAX_BYTES} of it. Thread-safe (stateless).
 */
public final class RepositoryInstructions {
  /** The files looked for, in order: the first one committed is read. */
  public static final List<String> FILES = List.of("AGENTS.md", "CLAUDE.md");
  /** How much of the file a prompt carries. */
  public static final int MAX_BYTES = 16 * 1024;

  private RepositoryInstructions() {}

  /** @param file the file's name; {@code text} ends with a note of what was cut when it was longer */
  public record Instructions(String file, String text) {}

  /** The repository's instructions in {@code worktree}, or empty when it has none to read. */
  public static Optional<Instructions> read(Path worktree) {
    try {
      for (String file : FILES) {
        Optional<Instructions> read = read(worktree, file);
        if (read.isPresent()) return read;
      }
    } catch (ApiError e) {
      // git cannot run: the task runs without them
    }
    return Optional.empty();
  }

  private static Optional<Instructions> read(Path worktree, String file) {
    // "<mode> blob <id> <size>\t<name>": a regular file is 100644 or 100755; a link (120000) is not followed
    String[] entry = Git.run(worktree, "ls-tree", "-l", "HEAD", "--", file).out().split("\\s+");
    if (entry.length < 4 || !entry[1].equals("blob") || !entry[0].matches("1006[0-7]{2}")) return Optional.empty();
    byte[] head = Git.head(worktree, MAX_BYTES, "cat-file", "blob", entry[2]);
    if (head == null) return Optional.empty();
    long left = Long.parseLong(entry[3]) - head.length;
    String text = new String(head, StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");
    // a cut through a character leaves it undecodable at the end
    if (left > 0) text = text.replaceFirst("\uFFFD+$", "");
    text = text.strip();
    if (left > 0) text += "\n[" + file + " cut: " + left + " more bytes; read the file]";
    return text.isEmpty() ? Optional.empty() : Optional.of(new Instructions(file, text));
  }
}
