package dev.stepwise.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.secrets.SecretBox;
import org.junit.jupiter.api.Test;

/** Plans as stored: secrets sealed, opened only to run; a plan's shape read without its secrets. */
class StoredPlansTest {
  private static final String PLAN = """
      name: deploy
      environment: {name: vm}
      env: {TOKEN: {value: s3cr3t-value, secret: true}}
      steps: [{name: a, run: "echo $TOKEN"}]
      """;

  @Test
  void the_shape_of_a_plan_is_read_without_opening_its_secrets_even_with_another_key() {
    var parser = new PlanParser();
    String stored = new StoredPlans(parser, new SecretBox(key('a'))).store(parser.parseYaml(PLAN));
    assertThat(stored).doesNotContain("s3cr3t-value");
    var otherNode = new StoredPlans(parser, new SecretBox(key('b')));
    assertThatThrownBy(() -> otherNode.load(stored)).isInstanceOf(SecretBox.Unreadable.class);
    Plan shape = otherNode.loadShape(stored);
    assertThat(shape.environment().name()).isEqualTo("vm");
    assertThat(shape.secretValues()).containsExactly("(sealed)");
  }

  private static byte[] key(char fill) {
    return String.valueOf(fill).repeat(32).getBytes();
  }
}
