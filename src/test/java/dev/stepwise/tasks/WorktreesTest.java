package dev.stepwise.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worktrees on real git repositories. */
class WorktreesTest {
  @TempDir Path dir;

  @Test
  void a_task_works_on_its_own_branch_in_its_own_directory_and_the_users_checkout_is_untouched() throws IOException {
    Path repository = repository();
    GitRepo user = GitRepo.at(repository);
    String head = user.git("rev-parse", "HEAD").strip();
    var worktrees = new Worktrees(dir.resolve("data/worktrees"));
    Task task = task(7, repository, "main");

    Path worktree = worktrees.prepare(task);

    assertThat(worktree).isEqualTo(dir.resolve("data/worktrees/task-7"));
    assertThat(GitRepo.at(worktree).git("branch", "--show-current").strip()).isEqualTo("stepwise/task-7");
    assertThat(Files.readString(worktree.resolve("app.txt"))).isEqualTo("one\ntwo\nthree\n");
    assertThat(worktrees.prepare(task)).isEqualTo(worktree);
    assertThat(user.git("rev-parse", "HEAD").strip()).isEqualTo(head);
    assertThat(user.git("branch", "--show-current").strip()).isEqualTo("main");
    assertThat(user.git("status", "--porcelain")).isEmpty();
    assertThat(worktrees.diffStat(task)).isEqualTo(Worktrees.DiffStat.NONE);
    assertThat(worktrees.patch(task)).isEmpty();
  }

  @Test
  void the_diff_counts_edits_new_and_deleted_files_against_where_the_branch_left_the_base() throws IOException {
    Path repository = repository();
    var worktrees = new Worktrees(dir.resolve("worktrees"));
    Task task = task(3, repository, "main");
    Path worktree = worktrees.prepare(task);
    Files.writeString(worktree.resolve("app.txt"), "one\n2\nthree\nfour\n");   // 1 line changed, 1 added
    Files.writeString(worktree.resolve("new.txt"), "a\nb\nc\n");               // 3 added, not committed
    Files.delete(worktree.resolve("old.txt"));                                 // 2 deleted
    // the base moves on after the branch left it: its new commits are not the task's work
    Files.writeString(repository.resolve("later.txt"), "x\ny\n");
    GitRepo.at(repository).commit("later on main");

    assertThat(worktrees.diffStat(task)).isEqualTo(new Worktrees.DiffStat(3, 5, 3));
    String patch = worktrees.patch(task);
    assertThat(patch).contains("+++ b/new.txt", "+four", "-2".replace("-2", "-two"), "deleted file mode")
        .doesNotContain("later.txt");
    assertThat(GitRepo.at(repository).git("status", "--porcelain")).isEmpty();
  }

  @Test
  void reading_the_work_never_touches_the_worktrees_own_index_so_it_cannot_collide_with_git_working_there()
      throws IOException {
    Path repository = repository();
    var worktrees = new Worktrees(dir.resolve("worktrees"));
    Task task = task(4, repository, "main");
    Path worktree = worktrees.prepare(task);
    Files.writeString(worktree.resolve("new.txt"), "a\n");
    // git (the agent, or git making the worktree) holds the worktree's index right now
    Path index = Path.of(GitRepo.at(worktree).git("rev-parse", "--path-format=absolute", "--git-path", "index").strip());
    Path lock = Files.createFile(index.resolveSibling("index.lock"));
    try {
      assertThat(worktrees.diffStat(task)).isEqualTo(new Worktrees.DiffStat(1, 1, 0));
      assertThat(worktrees.patch(task)).contains("+++ b/new.txt");
      assertThat(lock).as("the lock is still git's, untouched").exists();
    } finally {
      Files.delete(lock);
    }
    assertThat(GitRepo.at(worktree).git("status", "--porcelain")).as("new.txt is not staged by reading")
        .contains("?? new.txt");
  }

  @Test
  void removing_a_worktree_keeps_its_branch_and_a_second_run_goes_on_from_it() throws IOException {
    Path repository = repository();
    var worktrees = new Worktrees(dir.resolve("worktrees"));
    Task task = task(5, repository, "main");
    Path worktree = worktrees.prepare(task);
    Files.writeString(worktree.resolve("app.txt"), "changed\n");
    GitRepo.at(worktree).commit("the agent's work");

    worktrees.remove(task);

    assertThat(worktree).doesNotExist();
    assertThat(GitRepo.at(repository).git("branch", "--list", "stepwise/task-5")).contains("stepwise/task-5");
    Path again = worktrees.prepare(task);
    assertThat(Files.readString(again.resolve("app.txt"))).isEqualTo("changed\n");
    assertThat(worktrees.diffStat(task).filesChanged()).isEqualTo(1);
  }

  private Path repository() throws IOException {
    Path repository = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repository.resolve("app.txt"), "one\ntwo\nthree\n");
    Files.writeString(repository.resolve("old.txt"), "gone\nsoon\n");
    GitRepo repo = GitRepo.commitAll(repository);
    repo.git("branch", "-M", "main");
    return repository;
  }

  private static Task task(long id, Path repository, String base) {
    return new Task(id, "t", "", TaskStatus.TODO, repository.toString(), base, Task.branchOf(id), "native",
        Review.BOTH, ToolApproval.DEFAULT, null, null, 0, 0, 0, null, "admin", Instant.EPOCH, Instant.EPOCH);
  }
}
