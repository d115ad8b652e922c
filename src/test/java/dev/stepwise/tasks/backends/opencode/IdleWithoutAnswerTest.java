package dev.stepwise.tasks.backends.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdleWithoutAnswerTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final IdleWithoutAnswer idle = new IdleWithoutAnswer();

  @Test
  void a_session_idle_before_its_answer_keeps_its_phase_until_the_grace_has_passed() {
    // OpenCode says idle from accepting a prompt until its loop starts: seconds on a loaded machine
    assertThat(idle.ends(false, T0)).isFalse();
    assertThat(idle.ends(false, T0.plusSeconds(5))).isFalse();
    assertThat(idle.ends(false, T0.plus(IdleWithoutAnswer.GRACE).minusMillis(1))).isFalse();
    assertThat(idle.ends(false, T0.plus(IdleWithoutAnswer.GRACE))).isTrue();
  }

  @Test
  void work_seen_meanwhile_starts_the_grace_again() {
    assertThat(idle.ends(false, T0)).isFalse();
    idle.working();
    assertThat(idle.ends(false, T0.plus(IdleWithoutAnswer.GRACE))).isFalse();
    assertThat(idle.ends(false, T0.plus(IdleWithoutAnswer.GRACE.multipliedBy(2)))).isTrue();
  }

  @Test
  void an_error_opencode_reported_ends_the_phase_at_once() {
    assertThat(idle.ends(true, T0)).isTrue();
  }
}
