package dev.stepwise.tasks.run;

import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.RepositoryInstructions;
import dev.stepwise.tasks.Task;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent is asked in each phase, the same for every backend, and how the AI review's
 * answer is read. Thread-safe (stateless).
 */
final class PhasePrompts {
  /** How much of the diff the review prompt carries; the reviewer can read the rest with git. */
  static final int MAX_DIFF = 24 * 1024;
  private static final String INSTRUCTIONS_FENCE = "-".repeat(40);
  private static final Pattern VERDICT = Pattern.compile("VERDICT:\\s*(PASS|FAIL)", Pattern.CASE_INSENSITIVE);

  private PhasePrompts() {}

  /**
   * @param diff the work so far, for the review; ignored by the other phases
   * @param instructions what the repository asks of agents, if anything
   */
  static String of(Phase phase, Task task, String diff, Optional<RepositoryInstructions.Instructions> instructions) {
    String about = "Task " + task.id() + ": " + task.title() + (task.description().isBlank() ? "" : "\n\n"
        + task.description().strip())
        + instructions.map(PhasePrompts::instructions).orElse("");
    return switch (phase) {
      case PLANNING -> about + "\n\nYou are working in a git worktree of the repository, on branch " + task.branch()
          + ". Read what you need of the repository and write a short, numbered plan for this task: which files "
          + "change and how, and how to check the result. Do not change any file in this phase.";
      case IN_PROGRESS -> about + "\n\n" + (task.plan() == null || task.plan().isBlank() ? ""
          : "The approved plan:\n" + task.plan().strip() + "\n\n")
          + "Carry out the task in this worktree: create and edit the files it needs. Do not commit. "
          + "End with a short summary of what you changed.";
      case AI_REVIEW -> about + "\n\nReview the work done on this task in this worktree (its changes against "
          + task.baseRef() + " are below; `git diff` shows them too). Run the repository's checks if it has any. "
          + "Do not change any file. End your answer with one line: VERDICT: PASS when the work does the task, "
          + "or VERDICT: FAIL followed by what must change.\n\n" + cut(diff);
      case PLANNING_REVIEW, MERGE_REVIEW -> throw new IllegalArgumentException(phase + " is a person's review");
    };
  }

  private static String instructions(RepositoryInstructions.Instructions instructions) {
    return "\n\nThe repository's instructions for agents, from its " + instructions.file() + " (between the lines "
        + "of dashes; where they differ from what this phase asks below, this phase's words count):\n"
        + INSTRUCTIONS_FENCE + "\n" + instructions.text() + "\n" + INSTRUCTIONS_FENCE;
  }

  /** The review's verdict: its last {@code VERDICT:} line, else none. */
  static Optional<Boolean> passed(String review) {
    if (review == null) return Optional.empty();
    Matcher matcher = VERDICT.matcher(review);
    String last = null;
    while (matcher.find()) last = matcher.group(1);
    return last == null ? Optional.empty() : Optional.of(last.toUpperCase(Locale.ROOT).equals("PASS"));
  }

  private static String cut(String diff) {
    if (diff == null || diff.isBlank()) return "(no changes)";
    return diff.length() <= MAX_DIFF ? diff : diff.substring(0, MAX_DIFF) + "\n[diff cut: "
        + (diff.length() - MAX_DIFF) + " more characters; read them with git diff]";
  }
}
