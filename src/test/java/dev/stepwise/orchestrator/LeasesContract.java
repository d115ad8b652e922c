package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.store.Database;
import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-set that starts a step's attempt: it records where the execution is only while
 * this node holds the lease and no cancel request has arrived since the claim; a cancel makes the
 * slice decide again, a lost lease stops it, and neither writes anything.
 */
abstract class LeasesContract {
  private StoreFixture store;
  private Database db;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    store = new StoreFixture(newDatabase());
    db = store.db;
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A queued one-step execution, claimed by node {@code a}. */
  private Lease claimed() {
    queue("lease", 0, Instant.now().toEpochMilli(), "[]", 1);
    List<Leases.Claim> claims = claim("a", 1, List.of());
    assertThat(claims).hasSize(1);
    return claims.getFirst().lease();
  }

  /** Queues an execution of {@code steps} noop steps; returns its id. */
  private long queue(String name, int priority, long queuedAt, String labels, int steps) {
    return db.jdbi().inTransaction(h -> {
      long id = h.createQuery("""
              INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at,
                queued_at, run_after)
              VALUES (:name, 'command', 'queued', :priority, '{}', :labels, 'test', :at, :at, 0) RETURNING id""")
          .bind("name", name).bind("priority", priority).bind("labels", labels).bind("at", queuedAt)
          .mapTo(Long.class).one();
      for (int step = 1; step <= steps; step++) {
        h.createUpdate("""
                INSERT INTO steps (execution_id, step_number, name, step_type, requires_approval, status, attempts)
                VALUES (:id, :step, 'a', 'noop', FALSE, 'pending', 0)""").bind("id", id).bind("step", step).execute();
      }
      return id;
    });
  }

  private List<Leases.Claim> claim(String node, int limit, List<String> labels) {
    return db.jdbi().inTransaction(h -> Leases.claim(h, db.dialect(), node, limit, Instant.now(),
        Duration.ofSeconds(30), labels));
  }

  @Test
  void the_first_claim_starts_an_execution_and_a_claim_after_its_lease_was_given_back_resumes_it() {
    Lease first = claimed();
    assertThat(first.firstStart()).isTrue();
    db.jdbi().useTransaction(h -> Leases.release(h, first, Instant.now().minusSeconds(1)));

    List<Leases.Claim> again = claim("b", 5, List.of());

    assertThat(again).singleElement().satisfies(claim -> {
      assertThat(claim.lease().executionId()).isEqualTo(first.executionId());
      assertThat(claim.lease().firstStart()).isFalse();
      assertThat(claim.lease().fence()).isEqualTo(first.fence() + 1);
      assertThat(claim.lease().nodeId()).isEqualTo("b");
      assertThat(claim.steps()).extracting(StepRow::stepNumber).containsExactly(1);
    });
  }

  @Test
  void a_claim_after_the_execution_waited_for_its_environment_resumes_it() {
    Lease first = claimed();
    db.jdbi().useTransaction(h -> Leases.requeue(h, first, Instant.now().minusSeconds(1), "gpu-box"));

    List<Leases.Claim> again = claim("a", 5, List.of());

    assertThat(again).singleElement().satisfies(claim -> {
      assertThat(claim.lease().firstStart()).isFalse();
      assertThat(claim.lease().fence()).isEqualTo(first.fence() + 1);
    });
  }

  @Test
  void a_claim_takes_the_highest_priority_then_the_oldest_that_the_node_has_the_labels_for_each_with_its_own_steps() {
    long at = Instant.now().toEpochMilli() - 60_000;
    // ids in another order than priority and age: a claim by id would take young and old
    long young = queue("young", 0, at + 3, "[]", 1);
    long old = queue("old", 0, at, "[]", 2);
    long urgent = queue("urgent", 5, at + 2, "[]", 3);
    long gpu = queue("gpu", 9, at + 1, "[\"gpu\"]", 1);

    List<Leases.Claim> claims = claim("a", 2, List.of("linux"));

    assertThat(claims).extracting(c -> c.lease().executionId()).containsExactly(urgent, old);
    assertThat(claims).allSatisfy(c -> assertThat(c.steps()).allSatisfy(step ->
        assertThat(step.executionId()).isEqualTo(c.lease().executionId())));
    assertThat(claims.getFirst().steps()).extracting(StepRow::stepNumber).containsExactly(1, 2, 3);
    assertThat(claims.getLast().steps()).extracting(StepRow::stepNumber).containsExactly(1, 2);
    assertThat(claims).allSatisfy(c -> assertThat(c.lease().firstStart()).isTrue());
    assertThat(claim("b", 5, List.of("gpu", "linux"))).extracting(c -> c.lease().executionId())
        .containsExactly(gpu, young);
  }

  private Integer currentStep(long id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT current_step FROM executions WHERE id = :id").bind("id", id)
        .mapTo(Integer.class).findOne().orElse(null));
  }

  @Test
  void a_step_starts_under_the_lease_that_claimed_it() {
    Lease lease = claimed();

    db.jdbi().useTransaction(h -> Leases.startStep(h, lease, 1));

    assertThat(currentStep(lease.executionId())).isEqualTo(1);
  }

  @Test
  void a_cancel_that_arrived_after_the_claim_keeps_the_step_from_starting() {
    Lease lease = claimed();
    Integer before = currentStep(lease.executionId());
    boolean requested = db.jdbi().withHandle(h -> Executions.requestCancel(h, lease.executionId()));
    assertThat(requested).isTrue();

    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> Leases.startStep(h, lease, 1)))
        .isInstanceOf(Leases.CancelArrived.class);
    assertThat(currentStep(lease.executionId())).isEqualTo(before);
  }

  @Test
  void a_lease_taken_over_by_another_node_starts_nothing() {
    Lease lease = claimed();
    Integer before = currentStep(lease.executionId());
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE executions SET fence = fence + 1, lease_owner = 'b' WHERE id = :id")
        .bind("id", lease.executionId()).execute());

    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> Leases.startStep(h, lease, 1))).isInstanceOf(Fenced.class);
    assertThat(currentStep(lease.executionId())).isEqualTo(before);
  }

  private java.util.Optional<Leases.Claim> takeJustQueued(long id, List<String> labels) {
    return db.jdbi().inTransaction(h -> Leases.takeJustQueued(h, db.dialect(), "a", id, Instant.now(),
        Duration.ofSeconds(30), labels));
  }

  @Test
  void a_just_queued_execution_is_taken_at_once_when_the_node_would_claim_nothing_before_it() {
    long at = Instant.now().toEpochMilli();
    long id = queue("now", 0, at, "[\"linux\"]", 2);

    var taken = takeJustQueued(id, List.of("linux"));

    assertThat(taken).hasValueSatisfying(claim -> {
      assertThat(claim.lease().executionId()).isEqualTo(id);
      assertThat(claim.lease().firstStart()).isTrue();
      assertThat(claim.lease().nodeId()).isEqualTo("a");
      assertThat(claim.row().status()).isEqualTo(dev.stepwise.executions.ExecutionStatus.RUNNING);
      assertThat(claim.steps()).extracting(StepRow::stepNumber).containsExactly(1, 2);
    });
    assertThat(claim("b", 5, List.of("linux"))).as("nothing left to claim").isEmpty();
  }

  @Test
  void a_just_queued_execution_waits_its_turn_behind_a_queued_one_of_at_least_its_priority() {
    long at = Instant.now().toEpochMilli() - 1_000;
    long waiting = queue("waiting", 3, at, "[]", 1);
    long same = queue("same", 3, at + 1_000, "[]", 1);
    long lower = queue("lower", 1, at + 1_000, "[]", 1);

    assertThat(takeJustQueued(same, List.of())).isEmpty();
    assertThat(takeJustQueued(lower, List.of())).isEmpty();
    long higher = queue("higher", 4, at + 1_000, "[]", 1);
    assertThat(takeJustQueued(higher, List.of())).as("nothing of priority 4 or more waits").isPresent();
    assertThat(claim("b", 5, List.of())).extracting(c -> c.lease().executionId()).containsExactly(waiting, same, lower);
  }

  @Test
  void a_just_queued_execution_waits_behind_a_parked_one_that_is_due_and_where_the_node_lacks_its_labels() {
    Lease parked = claimed();
    db.jdbi().useTransaction(h -> Leases.release(h, parked, Instant.now().minusSeconds(1)));
    long id = queue("after-parked", 9, Instant.now().toEpochMilli(), "[]", 1);
    assertThat(takeJustQueued(id, List.of())).isEmpty();
    assertThat(claim("b", 5, List.of())).extracting(c -> c.lease().executionId())
        .containsExactlyInAnyOrder(parked.executionId(), id);

    long gpu = queue("gpu", 0, Instant.now().toEpochMilli(), "[\"gpu\"]", 1);
    assertThat(takeJustQueued(gpu, List.of("linux"))).isEmpty();
    assertThat(takeJustQueued(gpu, List.of("gpu"))).isPresent();
  }
}
