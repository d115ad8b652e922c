package dev.stepwise.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.executions.IllegalTransition;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskStatusTest {
  @Test
  void the_phases_follow_each_other_and_a_plan_review_or_its_absence_both_lead_to_the_work() {
    assertThat(TaskStatus.TODO.canBecome(TaskStatus.PLANNING)).isTrue();
    assertThat(TaskStatus.PLANNING.canBecome(TaskStatus.PLANNING_REVIEW)).isTrue();
    assertThat(TaskStatus.PLANNING.canBecome(TaskStatus.IN_PROGRESS)).isTrue();
    assertThat(TaskStatus.PLANNING_REVIEW.canBecome(TaskStatus.IN_PROGRESS)).isTrue();
    assertThat(TaskStatus.IN_PROGRESS.canBecome(TaskStatus.AI_REVIEW)).isTrue();
    assertThat(TaskStatus.AI_REVIEW.canBecome(TaskStatus.DONE)).isTrue();
  }

  @Test
  void every_running_phase_can_fail_or_be_cancelled_and_every_end_can_be_run_again() {
    for (TaskStatus status : TaskStatus.values()) {
      assertThat(status.canBecome(TaskStatus.FAILED)).as(status.wireName()).isEqualTo(status.running());
      assertThat(status.canBecome(TaskStatus.CANCELLED)).as(status.wireName()).isEqualTo(status.running());
      assertThat(status.canBecome(TaskStatus.PLANNING)).as(status.wireName())
          .isEqualTo(EnumSet.of(TaskStatus.TODO, TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.CANCELLED)
              .contains(status));
    }
  }

  @Test
  void a_skipped_phase_or_a_step_back_is_an_illegal_transition() {
    assertThatThrownBy(() -> TaskStatus.TODO.transitionTo(TaskStatus.DONE, 7)).isInstanceOf(IllegalTransition.class)
        .hasMessage("task 7 is todo and cannot become done");
    assertThat(TaskStatus.IN_PROGRESS.canBecome(TaskStatus.PLANNING)).isFalse();
    assertThat(TaskStatus.PLANNING_REVIEW.canBecome(TaskStatus.AI_REVIEW)).isFalse();
  }

  @Test
  void statuses_have_the_wire_names_of_the_contract() {
    assertThat(TaskStatus.PLANNING_REVIEW.wireName()).isEqualTo("planning_review");
    assertThat(TaskStatus.fromWireName("ai_review")).contains(TaskStatus.AI_REVIEW);
    assertThat(TaskStatus.fromWireName("AI_REVIEW")).isEmpty();
  }
}
