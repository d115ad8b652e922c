package dev.stepwise.tasks;

import dev.stepwise.web.ApiError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a task's runs work: a {@code git worktree} of the task's repository on its own branch
 * ({@code stepwise/task-<id>}), under the data dir, so that nothing touches the user's checkout.
 * Thread-safe: each task has its own directory, and git serialises changes to a repository.
 */
public final class Worktrees {
  private final Path root;

  /** @param root the directory that holds every task's worktree ({@code <data-dir>/worktrees}) */
  public Worktrees(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** What a task's work changed against the commit its branch started from. */
  public record DiffStat(int filesChanged, int additions, int deletions) {
    public static final DiffStat NONE = new DiffStat(0, 0, 0);
  }

  /** The worktree of task {@code id}: there or not. */
  public Path of(long taskId) {
    return root.resolve("task-" + taskId);
  }

  /**
   * The task's worktree, made if it is not there: on its branch where the branch exists (a run
   * after an earlier one goes on from its work), else on a new branch from the task's base.
   */
  public Path prepare(Task task) {
    Path worktree = of(task.id());
    if (Files.isDirectory(worktree.resolve(".git")) || Files.isRegularFile(worktree.resolve(".git"))) return worktree;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    }
    Path repository = Path.of(task.repositoryPath());
    // forget worktrees whose directories are gone (a data dir deleted or moved), or git refuses the path
    Git.run(repository, "worktree", "prune");
    boolean branchExists = Git.run(repository, "rev-parse", "--verify", "--quiet", "refs/heads/" + task.branch()).ok();
    Git.Result added = branchExists
        ? Git.run(repository, "worktree", "add", "--quiet", worktree.toString(), task.branch())
        : Git.run(repository, "worktree", "add", "--quiet", "-b", task.branch(), worktree.toString(), "--end-of-options",
            task.baseRef());
    if (!added.ok()) {
      throw ApiError.conflict("cannot make the worktree of task " + task.id() + " in " + worktree + ": " + added.err());
    }
    return worktree;
  }

  /** Files, additions and deletions of the task's work, new files included; none before its first run. */
  public DiffStat diffStat(Task task) {
    Path worktree = of(task.id());
    if (!Files.isDirectory(worktree)) return DiffStat.NONE;
    int files = 0;
    int additions = 0;
    int deletions = 0;
    for (String line : diff(task, worktree, "--numstat").lines().toList()) {
      List<String> columns = List.of(line.split("\t", 3));
      if (columns.size() < 3) continue;
      files++;
      if (!columns.get(0).equals("-")) additions += Integer.parseInt(columns.get(0));
      if (!columns.get(1).equals("-")) deletions += Integer.parseInt(columns.get(1));
    }
    return new DiffStat(files, additions, deletions);
  }

  /** The task's work as a patch against the commit its branch started from; empty before its first run. */
  public String patch(Task task) {
    Path worktree = of(task.id());
    if (!Files.isDirectory(worktree)) return "";
    String patch = diff(task, worktree, "--patch");
    return patch.isEmpty() ? "" : patch + "\n";
  }

  /** Removes the task's worktree; its branch stays in the repository, with the work on it. */
  public void remove(Task task) {
    Path worktree = of(task.id());
    if (!Files.exists(worktree)) return;
    Git.Result removed = Git.run(Path.of(task.repositoryPath()), "worktree", "remove", "--force", worktree.toString());
    if (!removed.ok()) {
      throw ApiError.conflict("cannot remove the worktree of task " + task.id() + ": " + removed.err());
    }
  }

  /**
   * {@code git diff} of the worktree (new files marked first, so that they count) against where
   * its branch left the base. Reading never writes the worktree's own index: new files are marked
   * in a copy of it, so that a read (a page, the API) never holds the index's lock while git
   * makes the worktree or the agent works in it. Empty while the worktree is being made.
   */
  private static String diff(Task task, Path worktree, String format) {
    Git.Result indexPath = Git.run(worktree, "rev-parse", "--path-format=absolute", "--git-path", "index");
    if (!indexPath.ok()) return "";
    Path copy = null;
    try {
      copy = Files.createTempFile("stepwise-index-", "");
      Path index = Path.of(indexPath.out());
      if (Files.exists(index)) Files.copy(index, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      else Files.delete(copy);
      var env = java.util.Map.of("GIT_INDEX_FILE", copy.toString());
      Git.run(env, worktree, "add", "--all", "--intent-to-add");
      Git.Result base = Git.run(worktree, "merge-base", "HEAD", "--end-of-options", task.baseRef());
      String from = base.ok() ? base.out() : "HEAD";
      Git.Result diff = Git.run(env, worktree, "diff", format, "--no-color", "--no-ext-diff", from, "--");
      if (!diff.ok()) throw ApiError.conflict("cannot read the work of task " + task.id() + ": " + diff.err());
      return diff.out();
    } catch (java.io.IOException e) {
      throw ApiError.conflict("cannot read the work of task " + task.id() + ": " + e.getMessage());
    } finally {
      if (copy != null) {
        try {
          Files.deleteIfExists(copy);
        } catch (java.io.IOException ignored) {
          // a temp file: the system cleans it
        }
      }
    }
  }
}
