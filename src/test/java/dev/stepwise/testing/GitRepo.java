package dev.stepwise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real git repository in a directory, for tests that need real {@code git diff} output. */
public final class GitRepo {
  private final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  /** Initialises a repository in {@code dir} and commits everything already there. */
  public static GitRepo commitAll(Path dir) {
    var repo = new GitRepo(dir);
    repo.git("init", "-q");
    repo.commit("start");
    return repo;
  }

  /**
   * The repository the coding-task tests work on: {@code parent/name} with one commit of
   * {@code app.txt}, three lines ({@code one}, {@code two}, {@code three}). Returns its real path.
   */
  public static Path appRepository(Path parent, String name) {
    try {
      Path dir = java.nio.file.Files.createDirectories(parent.resolve(name));
      java.nio.file.Files.writeString(dir.resolve("app.txt"), "one\ntwo\nthree\n");
      commitAll(dir);
      return dir.toRealPath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A repository that exists already. */
  public static GitRepo at(Path dir) {
    return new GitRepo(dir);
  }

  /** Stages everything and commits it. */
  public void commit(String message) {
    git("add", "-A");
    git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", message);
  }

  /** Runs git in the repository and returns its output; fails the test when git fails. */
  public String git(String... args) {
    var command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
