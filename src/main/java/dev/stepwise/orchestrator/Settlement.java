package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.events.NewEvent;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What settling a leased execution comes to: every step that runs nothing passed and, when that
 * reaches the end, the execution finished. It is decided, and its events made, from the slice's
 * snapshot before the transaction, which it may share with other executions' ({@link
 * EventLog#transactShared}): the one thread that commits the group then only writes, and runs the
 * reactions to the events (a task's). A plan of noop steps costs one transaction, not one per step;
 * and when it finishes, its compare-and-sets (the execution's row first, then its steps) join those
 * of every execution finishing in the same transaction, one batch each. Its times are those of the
 * decision, taken before the work waits for the committer: they may precede the commit by as long
 * as that wait.
 */
record Settlement(Lease lease, Instant now, List<StepRow> passed, SliceDecider.Finish finish, boolean closeRest,
    List<NewEvent> events) {

  /** What settling comes to at {@code now}, or nothing when there is nothing to settle. */
  static Optional<Settlement> decide(Lease lease, ExecutionRow row, List<StepRow> snapshot, Plan plan, Instant now) {
    List<StepRow> steps = new ArrayList<>(snapshot);
    List<StepRow> passed = new ArrayList<>();
    SliceDecider.Finish finish = null;
    decide:
    while (true) {
      switch (SliceDecider.decide(row, steps, plan, now)) {
        case SliceDecider.PassStep pass -> {
          StepRow step = StepAttempt.attempted(pass.step(), StepStatus.SUCCEEDED, null, null, null);
          steps.set(step.stepNumber() - 1, step);
          passed.add(step);
        }
        case SliceDecider.Finish done -> {
          finish = done;
          break decide;
        }
        default -> {
          break decide;
        }
      }
    }
    if (finish == null && passed.isEmpty()) return Optional.empty();
    boolean closeRest = finish != null && steps.stream().anyMatch(s -> !s.status().finished());
    List<NewEvent> events = new ArrayList<>(2 * passed.size() + 1);
    for (StepRow step : passed) {
      events.add(ExecutionEvents.stepStarted(row.id(), step.stepNumber(), step.name(), step.attempts()));
      events.add(ExecutionEvents.stepCompleted(row.id(), step, StepStatus.SUCCEEDED, null, null, false));
    }
    if (finish != null) events.add(ExecutionEvents.completed(row, finish.status(), finish.error(), now));
    return Optional.of(new Settlement(lease, now, List.copyOf(passed), finish, closeRest, List.copyOf(events)));
  }

  /** Whether the execution finishes. */
  boolean finishes() {
    return finish != null;
  }

  /** Writes it in {@code tx}; throws {@link Fenced} unless this node still holds the lease. */
  void store(EventLog.Tx tx) {
    long id = lease.executionId();
    Integer current = passed.isEmpty() ? null : passed.getLast().stepNumber();
    if (finish != null && !closeRest) {
      // the common end: batched with every execution finishing in this transaction
      Leases.endLast(tx, lease, finish.status(), finish.error(), now, current);
      for (StepRow step : passed) Steps.passLast(tx, id, step.stepNumber(), now, () -> new Fenced(id));
    } else {
      // the execution's row first: its compare-and-set is the guard, and it locks the row before the steps'
      if (finish == null) Leases.setCurrentStep(tx.handle(), lease, current);
      else Leases.end(tx.handle(), lease, finish.status(), finish.error(), now, current);
      if (!passed.isEmpty() && !Steps.pass(tx.handle(), id, passed.stream().map(StepRow::stepNumber).toList(), now)) {
        throw new Fenced(id);
      }
    }
    if (closeRest) Steps.closeRemaining(tx.handle(), id, StepStatus.CANCELLED, now);
    events.forEach(tx::append);
  }
}
