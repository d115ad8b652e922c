package dev.stepwise.environments;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * How many steps run on a remote environment at once, across every node sharing the database: a
 * row per slot, taken by compare-and-set in the transaction that starts the step and given back
 * in the one that records its outcome. A slot whose holder no longer runs under the fence it took
 * the slot with (the execution ended, parked, or was taken over after its node died) is free, so a
 * crash never leaks one. Runs inside the caller's transaction. Thread-safe (stateless).
 */
public final class EnvironmentSlots {
  /** Whether a slot row is held by a step that still runs under the fence it took the slot with. */
  private static final String HELD = """
      execution_id IS NOT NULL AND EXISTS (SELECT 1 FROM executions e WHERE e.id = environment_slots.execution_id
        AND e.fence = environment_slots.fence AND e.status = 'running' AND e.lease_owner IS NOT NULL)""";

  private EnvironmentSlots() {}

  /** Makes sure {@code environment} has rows for slots 1..{@code slots}. */
  public static void ensure(Handle h, String environment, int slots) {
    for (int slot = 1; slot <= slots; slot++) {
      h.createUpdate("INSERT INTO environment_slots (environment, slot) VALUES (:env, :slot) ON CONFLICT DO NOTHING")
          .bind("env", environment).bind("slot", slot).execute();
    }
  }

  /** Takes a free slot of {@code environment} (one of its first {@code slots}) for a step; false when all are busy. */
  public static boolean acquire(Handle h, String environment, int slots, long executionId, int stepNumber, long fence,
      String nodeId, Instant now) {
    for (int slot = 1; slot <= slots; slot++) {
      int taken = h.createUpdate("UPDATE environment_slots SET execution_id = :id, step_number = :step, fence = :fence, "
              + "node_id = :node, acquired_at = :now WHERE environment = :env AND slot = :slot AND NOT (" + HELD + ")")
          .bind("id", executionId).bind("step", stepNumber).bind("fence", fence).bind("node", nodeId)
          .bind("now", now.toEpochMilli()).bind("env", environment).bind("slot", slot).execute();
      if (taken == 1) return true;
    }
    return false;
  }

  /** Gives back the slot a step holds; the environment it was on, if it held one. */
  public static Optional<String> release(Handle h, long executionId, int stepNumber) {
    Optional<String> environment = h.createQuery(
            "SELECT environment FROM environment_slots WHERE execution_id = :id AND step_number = :step")
        .bind("id", executionId).bind("step", stepNumber).mapTo(String.class).findFirst();
    if (environment.isPresent()) {
      h.createUpdate("UPDATE environment_slots SET execution_id = NULL, step_number = NULL, fence = NULL, node_id = NULL, "
              + "acquired_at = NULL WHERE execution_id = :id AND step_number = :step")
          .bind("id", executionId).bind("step", stepNumber).execute();
    }
    return environment;
  }

  /** How many of the first {@code slots} slots of {@code environment} are held now. */
  public static int busy(Handle h, String environment, int slots) {
    return h.createQuery("SELECT COUNT(*) FROM environment_slots WHERE environment = :env AND slot <= :slots AND " + HELD)
        .bind("env", environment).bind("slots", slots).mapTo(Integer.class).one();
  }

  /** How many executions wait for a slot of {@code environment}. */
  public static int waiting(Handle h, String environment) {
    return h.createQuery("SELECT COUNT(*) FROM executions WHERE status = 'queued' AND waiting_for = :env")
        .bind("env", environment).mapTo(Integer.class).one();
  }

  /** Lets the first execution waiting for {@code environment} (by priority, then age) be claimed at once. */
  public static void wakeNext(Handle h, String environment) {
    h.createUpdate("""
            UPDATE executions SET run_after = 0 WHERE id = (SELECT id FROM executions
              WHERE status = 'queued' AND waiting_for = :env ORDER BY priority DESC, queued_at, id LIMIT 1)""")
        .bind("env", environment).execute();
  }
}
