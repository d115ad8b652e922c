package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningExecutionsTest {
  private final RunningExecutions running = new RunningExecutions();

  @Test
  void a_slice_that_ends_after_its_execution_was_claimed_again_leaves_the_new_slice_in_place() {
    var first = new Lease(7, 1, "a", true, "x", "command");
    var second = new Lease(7, 2, "a", false, "x", "command");
    running.register(first);
    var newer = running.register(second);

    running.unregister(first);

    assertThat(running.contains(7)).isTrue();
    assertThat(running.leases()).containsExactly(second);
    running.cancel(7);
    assertThat(newer.cancelled()).isTrue();
    running.unregister(second);
    assertThat(running.contains(7)).isFalse();
    assertThat(running.leases()).isEmpty();
  }

  @Test
  void a_lost_lease_stops_only_its_own_slice_not_the_one_that_claimed_the_execution_again() {
    var first = new Lease(7, 1, "a", true, "x", "command");
    var second = new Lease(7, 2, "a", false, "x", "command");
    var older = running.register(first);
    var newer = running.register(second);

    // the heartbeat found the first lease taken over: by this node's own new slice, here
    assertThat(running.cancel(first)).isFalse();
    assertThat(newer.cancelled()).isFalse();
    assertThat(older.cancelled()).isFalse();

    assertThat(running.cancel(second)).isTrue();
    assertThat(newer.cancelled()).isTrue();
  }
}
