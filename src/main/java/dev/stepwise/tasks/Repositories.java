package dev.stepwise.tasks;

import dev.stepwise.web.ApiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The repositories tasks may work on: git work trees under the configured roots
 * ({@code tasks.repositories}), and nothing else on the disk. Thread-safe.
 */
public final class Repositories {
  /** A ref as a person writes it: a branch, tag, commit or {@code HEAD~2}; never an option. */
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/@{}~^-]{0,199}");

  private final List<Path> roots;

  /** @param roots the directories a repository must lie under (existing, absolute) */
  public Repositories(List<Path> roots) {
    this.roots = roots.stream().map(Repositories::real).toList();
  }

  /**
   * The repository at {@code path} as its real path.
   *
   * @throws ApiError 422 naming {@code repository_path} unless it is the top of a git work tree
   *     under one of the roots
   */
  public Path check(String path) {
    if (roots.isEmpty()) {
      throw ApiError.validation("repository_path", "no repositories are open to tasks on this server; an admin "
          + "lists their parent directories in tasks.repositories (stepwise.yaml) or STEPWISE_TASKS_REPOSITORIES");
    }
    if (path == null || path.isBlank()) throw ApiError.validation("repository_path", "is required");
    Path given = Path.of(path);
    if (!given.isAbsolute()) throw ApiError.validation("repository_path", "must be an absolute path");
    if (!Files.isDirectory(given)) throw ApiError.validation("repository_path", "is not a directory on the server");
    Path repository = real(given);
    if (roots.stream().noneMatch(repository::startsWith)) {
      throw ApiError.validation("repository_path", "must lie under one of tasks.repositories: " + roots);
    }
    Git.Result top = Git.run(repository, "rev-parse", "--show-toplevel");
    if (!top.ok() || !real(Path.of(top.out())).equals(repository)) {
      throw ApiError.validation("repository_path", "is not the top directory of a git work tree");
    }
    return repository;
  }

  /**
   * The commit {@code ref} names in {@code repository}, checked; {@code null} means the branch
   * checked out there now.
   *
   * @throws ApiError 422 naming {@code base_ref} when it names nothing
   */
  public String baseRef(Path repository, String ref) {
    if (ref == null) {
      Git.Result branch = Git.run(repository, "symbolic-ref", "--quiet", "--short", "HEAD");
      if (branch.ok()) return branch.out();
      Git.Result commit = Git.run(repository, "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
      if (commit.ok()) return commit.out();
      throw ApiError.validation("base_ref", "the repository has no commit yet; commit something first");
    }
    if (!REF.matcher(ref).matches()) {
      throw ApiError.validation("base_ref", "must be a branch, tag or commit (letters, digits and . _ / @ { } ~ ^ -)");
    }
    if (!Git.run(repository, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}").ok()) {
      throw ApiError.validation("base_ref", "names no commit in " + repository);
    }
    return ref;
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
