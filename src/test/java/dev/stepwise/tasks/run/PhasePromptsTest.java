package dev.stepwise.tasks.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.RepositoryInstructions;
import dev.stepwise.tasks.Review;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.TaskStatus;
import dev.stepwise.tasks.ToolApproval;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhasePromptsTest {
  private static final Task TASK = new Task(7, "Add notes", "", TaskStatus.TODO, "/repo", "main", Task.branchOf(7),
      "opencode", Review.BOTH, ToolApproval.DEFAULT, null, null, 0, 0, 0, null, "admin", Instant.EPOCH, Instant.EPOCH);

  @Test
  void every_phase_carries_the_repositorys_instructions_fenced_off_from_its_own() {
    var instructions = Optional.of(new RepositoryInstructions.Instructions("AGENTS.md", "Run ./check first."));
    String fence = "-".repeat(40);
    for (Phase phase : List.of(Phase.PLANNING, Phase.IN_PROGRESS, Phase.AI_REVIEW)) {
      assertThat(PhasePrompts.of(phase, TASK, "", instructions)).as(phase.name())
          .contains("The repository's instructions for agents, from its AGENTS.md")
          .contains(fence + "\nRun ./check first.\n" + fence + "\n\n");
    }
    assertThat(PhasePrompts.of(Phase.PLANNING, TASK, "", Optional.empty())).doesNotContain("instructions for agents");
  }
}
