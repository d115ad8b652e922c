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

  @Test
  void a_plan_without_secrets_is_parsed_once_and_one_with_secrets_is_opened_each_time() {
    var parser = new PlanParser();
    var plans = new StoredPlans(parser, new SecretBox(key('a')));
    String plain = plans.store(parser.parseYaml("name: bulk\nsteps: [{name: a, type: noop}]"));
    String secret = plans.store(parser.parseYaml(PLAN));

    assertThat(plans.load(new String(plain))).isSameAs(plans.load(new String(plain)));
    Plan opened = plans.load(secret);
    assertThat(plans.load(secret)).isNotSameAs(opened).isEqualTo(opened);
    assertThat(opened.secretValues()).containsExactly("s3cr3t-value");
  }

  @Test
  void kept_plans_are_let_go_once_as_many_as_kept_were_loaded() {
    var parser = new PlanParser();
    var plans = new StoredPlans(parser, new SecretBox(key('a')));
    String first = plans.store(parser.parseYaml("name: p0\nsteps: [{name: a, type: noop}]"));
    Plan kept = plans.load(first);
    for (int i = 1; i <= StoredPlans.KEPT; i++) {
      plans.load(plans.store(parser.parseYaml("name: p" + i + "\nsteps: [{name: a, type: noop}]")));
    }

    assertThat(plans.load(first)).isNotSameAs(kept).isEqualTo(kept);
  }

  private static byte[] key(char fill) {
    return String.valueOf(fill).repeat(32).getBytes();
  }
}
