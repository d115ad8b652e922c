package dev.stepwise.runners;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private final Secrets secrets = Secrets.of(List.of("hunter2-secret", "tok"));

  @Test
  void whole_secrets_are_masked_longest_first() {
    assertThat(secrets.mask("a hunter2-secret and tok")).isEqualTo("a **** and ****");
  }

  @Test
  void the_start_of_a_secret_at_the_end_of_a_cut_text_is_masked_too() {
    assertThat(secrets.maskCut("line ending in hunter")).isEqualTo("line ending in ****");
    assertThat(secrets.maskCut("x hunter2-secret y h")).isEqualTo("x **** y ****");
    assertThat(secrets.maskCut("nothing to hide")).isEqualTo("nothing to hide");
  }

  @Test
  void values_shorter_than_three_characters_are_not_secrets() {
    assertThat(Secrets.of(List.of("ab")).maskCut("cab")).isEqualTo("cab");
  }
}
