package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.PlanParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's choices, without processes, databases or sleeping. */
class SliceDeciderTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final PlanParser parser = new PlanParser();

  private Plan plan(String yaml) {
    return parser.parseYaml(yaml).plan();
  }

  private static ExecutionRow running(boolean cancelRequested, Instant startedAt) {
    return new ExecutionRow(1, "x", ExecutionKind.COMMAND, ExecutionStatus.RUNNING, 5, "{}", List.of(), 1L, "alice",
        NOW, NOW, startedAt, null, null, null, "local", null, null, "node", NOW.plusSeconds(15), 1, Instant.EPOCH,
        cancelRequested, null);
  }

  private static List<StepRow> steps(Plan plan, StepStatus... statuses) {
    List<StepRow> rows = new ArrayList<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      StepStatus status = i < statuses.length ? statuses[i] : StepStatus.PENDING;
      rows.add(new StepRow(1, i + 1, plan.steps().get(i).name(), plan.steps().get(i).type(), null,
          plan.steps().get(i).needsApproval(), null, null, null, null, null, status, null, null, null, null, 0, "boom"));
    }
    return rows;
  }

  @Test
  void runs_the_first_pending_step() {
    Plan plan = plan("name: x\nsteps: [{name: a, run: 'true'}, {name: b, run: 'true'}]");
    var decision = SliceDecider.decide(running(false, NOW), steps(plan, StepStatus.SUCCEEDED), plan, NOW);
    assertThat(decision).isInstanceOfSatisfying(SliceDecider.RunStep.class,
        run -> assertThat(run.step().stepNumber()).isEqualTo(2));
  }

  @Test
  void parks_before_a_step_that_needs_approval_and_is_not_approved() {
    Plan plan = plan("name: x\nsteps: [{name: a, run: 'true', requires_approval: true}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(plan), plan, NOW))
        .isInstanceOf(SliceDecider.AwaitApproval.class);
  }

  @Test
  void noop_and_gates_pass_without_a_runner() {
    Plan plan = plan("name: x\nsteps: [{name: a, type: noop}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(plan), plan, NOW)).isInstanceOf(SliceDecider.PassStep.class);
  }

  @Test
  void a_failed_step_fails_the_execution_unless_it_may_continue() {
    Plan strict = plan("name: x\nsteps: [{name: a, run: 'false'}, {name: b, run: 'true'}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(strict, StepStatus.FAILED), strict, NOW))
        .isEqualTo(new SliceDecider.Finish(ExecutionStatus.FAILED, "step 1 ('a') failed: boom"));
    Plan lenient = plan("name: x\nsteps: [{name: a, run: 'false', continue_on_error: true}, {name: b, run: 'true'}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(lenient, StepStatus.FAILED), lenient, NOW))
        .isInstanceOf(SliceDecider.RunStep.class);
  }

  @Test
  void everything_done_completes() {
    Plan plan = plan("name: x\nsteps: [{name: a, run: 'true'}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(plan, StepStatus.SUCCEEDED), plan, NOW))
        .isEqualTo(new SliceDecider.Finish(ExecutionStatus.COMPLETED, null));
  }

  @Test
  void cancellation_and_the_execution_timeout_end_it() {
    Plan plan = plan("name: x\ntimeout: 10m\nsteps: [{name: a, run: 'true'}]");
    assertThat(SliceDecider.decide(running(true, NOW), steps(plan), plan, NOW))
        .extracting(d -> ((SliceDecider.Finish) d).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(SliceDecider.decide(running(false, NOW.minus(Duration.ofMinutes(11))), steps(plan), plan, NOW))
        .extracting(d -> ((SliceDecider.Finish) d).status()).isEqualTo(ExecutionStatus.TIMED_OUT);
  }

  @Test
  void retries_double_their_delay_until_they_run_out() {
    var spec = plan("name: x\nsteps: [{name: a, run: 'false', retries: 3, retry_delay: 2s}]").steps().getFirst();
    assertThat(SliceDecider.retryDelay(spec, 1)).contains(Duration.ofSeconds(2));
    assertThat(SliceDecider.retryDelay(spec, 2)).contains(Duration.ofSeconds(4));
    assertThat(SliceDecider.retryDelay(spec, 3)).contains(Duration.ofSeconds(8));
    assertThat(SliceDecider.retryDelay(spec, 4)).isEmpty();
  }

  @Test
  void an_interrupted_step_reruns_only_when_idempotent_or_with_retries_left() {
    Plan plan = plan("name: x\nsteps: [{name: a, run: 'x'}, {name: b, run: 'x', idempotent: true}, {name: c, run: 'x', retries: 1}]");
    List<StepRow> rows = steps(plan, StepStatus.RUNNING, StepStatus.RUNNING, StepStatus.RUNNING);
    StepRow once = new StepRow(1, 1, "a", plan.steps().get(0).type(), null, false, null, null, null, null, null,
        StepStatus.RUNNING, null, null, null, null, 1, null);
    assertThat(SliceDecider.rerunAfterInterruption(plan.steps().get(0), once)).isFalse();
    assertThat(SliceDecider.rerunAfterInterruption(plan.steps().get(1), rows.get(1))).isTrue();
    StepRow third = new StepRow(1, 3, "c", plan.steps().get(2).type(), null, false, null, null, null, null, null,
        StepStatus.RUNNING, null, null, null, null, 1, null);
    assertThat(SliceDecider.rerunAfterInterruption(plan.steps().get(2), third)).isTrue();
  }

  @Test
  void a_test_execution_fails_when_a_case_did_not_pass_and_says_how_many() {
    Plan plan = plan("name: t\nkind: test\nsteps:\n  - {name: a, type: test, run: 'true', continue_on_error: true}\n"
        + "  - {name: b, type: test, run: 'false', continue_on_error: true}\n"
        + "  - {name: c, type: test, unrunnable: 'no command', continue_on_error: true}");
    var steps = new ArrayList<>(steps(plan, StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.FAILED));
    StepRow failedWithExit = steps.get(1);
    steps.set(1, new StepRow(1, 2, failedWithExit.name(), failedWithExit.type(), null, false, null, null, null, null,
        null, StepStatus.FAILED, 1, null, null, null, 1, "exited with code 1"));
    var decision = SliceDecider.decide(running(false, NOW), steps, plan, NOW);
    assertThat(decision).isEqualTo(new SliceDecider.Finish(ExecutionStatus.FAILED,
        "2 of 3 test cases did not pass (1 failed, 1 errored)"));
    var passing = steps(plan, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
    assertThat(SliceDecider.decide(running(false, NOW), passing, plan, NOW))
        .isEqualTo(new SliceDecider.Finish(ExecutionStatus.COMPLETED, null));
  }

  @Test
  void a_command_plan_that_tolerates_a_failed_step_still_completes() {
    Plan plan = plan("name: x\nsteps: [{name: a, run: 'false', continue_on_error: true}, {name: b, type: noop}]");
    assertThat(SliceDecider.decide(running(false, NOW), steps(plan, StepStatus.FAILED, StepStatus.SUCCEEDED), plan, NOW))
        .isEqualTo(new SliceDecider.Finish(ExecutionStatus.COMPLETED, null));
  }
}
