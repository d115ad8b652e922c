package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.executions.Executions;
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
    long now = Instant.now().toEpochMilli();
    db.jdbi().useHandle(h -> {
      h.createUpdate("""
              INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at,
                queued_at, run_after)
              VALUES ('lease', 'command', 'queued', 0, '{}', '[]', 'test', :now, :now, 0)""")
          .bind("now", now).execute();
      h.execute("""
          INSERT INTO steps (execution_id, step_number, name, step_type, requires_approval, status, attempts)
          SELECT id, 1, 'a', 'noop', FALSE, 'pending', 0 FROM executions WHERE name = 'lease'""");
    });
    List<Leases.Claim> claims = db.jdbi().inTransaction(h -> Leases.claim(h, db.dialect(), "a", 1, Instant.now(),
        Duration.ofSeconds(30), List.of()));
    assertThat(claims).hasSize(1);
    return claims.getFirst().lease();
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
}
