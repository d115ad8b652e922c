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

  private final PlanParser parser = new PlanParser();
  private final StoredPlans plans = new StoredPlans(parser, new SecretBox(key('a')));

  @Test
  void the_shape_of_a_plan_is_read_without_opening_its_secrets_even_with_another_key() {
    String stored = plans.store(parser.parseYaml(PLAN));
    assertThat(stored).doesNotContain("s3cr3t-value");
    var otherNode = new StoredPlans(parser, new SecretBox(key('b')));
    assertThatThrownBy(() -> otherNode.load(stored)).isInstanceOf(SecretBox.Unreadable.class);
    Plan shape = otherNode.loadShape(stored);
    assertThat(shape.environment().name()).isEqualTo("vm");
    assertThat(shape.secretValues()).containsExactly("(sealed)");
  }

  @Test
  void a_plan_without_secrets_is_parsed_once_and_one_with_secrets_is_opened_each_time() {
    String plain = storedNoop("bulk");
    String secret = plans.store(parser.parseYaml(PLAN));

    assertThat(plans.load(new String(plain))).isSameAs(plans.load(new String(plain)));
    Plan opened = plans.load(secret);
    assertThat(plans.load(secret)).isNotSameAs(opened).isEqualTo(opened);
    assertThat(opened.secretValues()).containsExactly("s3cr3t-value");
  }

  @Test
  void kept_plans_are_let_go_once_as_many_as_kept_were_loaded() {
    String first = storedNoop("p0");
    Plan kept = plans.load(first);
    for (int i = 1; i <= StoredPlans.KEPT; i++) plans.load(storedNoop("p" + i));

    assertThat(plans.load(first)).isNotSameAs(kept).isEqualTo(kept);
  }

  /** A one-step noop plan named {@code name}, as stored. */
  private String storedNoop(String name) {
    return plans.store(parser.parseYaml("name: " + name + "\nsteps: [{name: a, type: noop}]"));
  }

  private static byte[] key(char fill) {
    return String.valueOf(fill).repeat(32).getBytes();
  }
}
