package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.executions.Steps;
import dev.stepwise.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryPlansPostgresTest extends QueryPlansContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }

  /** On PostgreSQL a group's ends and passes are one statement each ({@link dev.stepwise.events.ManyRows}). */
  @Test
  void a_group_of_ending_executions_and_passing_steps_is_found_by_their_keys() {
    Lease one = claimed.get(10).lease();
    Lease other = claimed.get(100).lease();
    String ids = "{" + one.executionId() + "," + other.executionId() + "}";

    String ends = plan(Leases.END_MANY.sql(), Map.of("to", "{completed,completed}", "error", "{NULL,NULL}",
        "finished", "{t,t}", "step", "{1,1}", "now", "{5,5}", "id", ids, "fence", "{1,1}", "node", "{node-a,node-a}"));
    String passes = plan(Steps.PASS_MANY.sql(), Map.of("now", "{5,5}", "id", ids, "step", "{1,1}"));

    assertThat(reads(ends, "executions")).as(ends).containsExactly("primary key");
    assertThat(reads(passes, "steps")).as(passes).containsExactly("primary key");
  }

}
