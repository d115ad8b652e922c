package dev.stepwise.orchestrator;

import dev.stepwise.environments.EnvironmentSlots;
import dev.stepwise.events.EventLog;
import dev.stepwise.events.Signals;
import dev.stepwise.executions.ExecutionEvents;
import dev.stepwise.executions.ExecutionRow;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.StepRow;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.plans.Durations;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.runners.CancelSignal;
import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.Runners;
import dev.stepwise.runners.Secrets;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepRun;
import dev.stepwise.runners.StepRunner;
import dev.stepwise.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attempts of a slice's steps: a worker (or the way back to the queue when too many wait for
 * one here), the step's start with its environment's slot, the run outside any transaction, and its
 * outcome, retry or wait for a decision recorded in one transaction guarded by the lease's fence.
 */
final class StepAttempt {
  /** When an execution waiting for a busy environment looks again, should no slot's release wake it first. */
  private static final Duration SLOT_RECHECK = Duration.ofSeconds(2);

  private final EngineContext engine;
  private final Lease lease;
  private final long id;
  private boolean neededWorker;

  StepAttempt(EngineContext engine, Lease lease) {
    this.engine = engine;
    this.lease = lease;
    this.id = lease.executionId();
  }

  /** Whether a step needed one of the node's workers ({@link Prefetch}). */
  boolean neededWorker() {
    return neededWorker;
  }

  /**
   * Runs one attempt with one of this node's workers (waiting for one if all are busy); false when
   * the execution parked for a retry or went back to the queue.
   */
  boolean run(ExecutionRow row, SliceDecider.RunStep decision, Plan plan, CancelSignal cancel)
      throws InterruptedException {
    neededWorker = true;
    Workers.Wait wait = engine.workers().acquire(cancel);
    if (wait == Workers.Wait.GIVE_BACK) return giveBack(row);
    try {
      return runStepWithWorker(row, decision, plan, cancel);
    } finally {
      if (wait == Workers.Wait.WORKER) engine.workers().release();
    }
  }

  /**
   * Gives the lease back while the step waits for a worker that more executions wait for here than
   * the node's prefetch allows: the execution goes back to the shared queue in its place, its step
   * not started, for whichever node frees a worker first. False when it went; true when a cancel
   * arrived meanwhile, to decide again.
   */
  private boolean giveBack(ExecutionRow row) throws InterruptedException {
    try {
      return UntilStored.transact(engine.log(), id, "the return of execution " + id + " to the queue", tx -> {
        Leases.requeue(tx.handle(), lease, tx.now(), null);
        tx.append(ExecutionEvents.waiting(id, row.name(), null, "back in the queue: more executions wait for a worker on "
            + "node " + engine.nodeId() + " than it keeps"));
        tx.wake(Signals.Channel.DISPATCH, "");
        return false;
      });
    } catch (Leases.CancelArrived cancelled) {
      return true;
    }
  }

  private boolean runStepWithWorker(ExecutionRow row, SliceDecider.RunStep decision, Plan plan, CancelSignal cancel)
      throws InterruptedException {
    StepRow step = decision.step();
    int number = step.stepNumber();
    Runners.Placed placed = engine.runners().forStep(plan, decision.spec());
    boolean started;
    try {
      started = UntilStored.transact(engine.log(), id, "the start of step " + number, tx -> startStep(tx, row, step,
          placed));
    } catch (Leases.CancelArrived cancelled) {
      return true; // a cancel arrived since the snapshot this decision was made on: decide again
    }
    if (!started) return false;
    Instant startedAt = engine.log().clock().instant();
    Duration timeout = timeout(row, decision, plan);
    StepOutcome outcome;
    String tail;
    Secrets secrets = Secrets.of(plan.secretValues());
    // this attempt's own stop: a cancel of the execution stops it, and so does what only concerns
    // the attempt (its output cannot be stored, its lease is lost), without cancelling what follows
    CancelSignal stop = new CancelSignal();
    Runnable forward = stop::cancel;
    cancel.onCancel(forward);
    try (var output = new StepOutput(engine.log(), lease, number, secrets, engine.outputLimits(), stop::cancel)) {
      Optional<StepRunner> runner = placed.runner();
      try {
        outcome = runner.isEmpty()
            ? new StepOutcome.Failed(null, "this node has no runner for " + decision.spec().type().wireName()
                + " steps on environment '" + placed.environment() + "'")
            : runner.get().run(new StepRun(id, number, decision.spec(), env(plan, decision, number),
                engine.workRoot().resolve(Long.toString(id)), timeout, stop,
                new ProcessMark(engine.nodeId(), id, number), secrets, h -> Leases.guard(h, lease), placed.machine()),
                output);
      } catch (StoreUnavailable e) {
        // a runner that writes its own records (an agent) lost the database mid-step
        output.flushUntilStored();
        return interrupted(step, decision.spec(), "the database became unavailable while step " + number + " ('"
            + step.name() + "') was running (" + e.reason() + ")");
      }
      output.flushUntilStored();
      tail = output.tail();
      if (output.storageFailure().isPresent()) outcome = unstored(outcome, output.storageFailure().get());
    } finally {
      cancel.remove(forward);
    }
    return record(step, decision, plan, outcome, tail, cancel, startedAt);
  }

  /**
   * The start of a step's attempt, in one transaction: the environment's slot (or back to the queue
   * when all are busy), where the execution is, and the step running. False when it waits for a slot.
   */
  private boolean startStep(EventLog.Tx tx, ExecutionRow row, StepRow step, Runners.Placed placed) {
    int number = step.stepNumber();
    // the fenced guard, where the execution is, and no cancel since the snapshot
    Leases.startStep(tx.handle(), lease, number);
    if (placed.slots() > 0 && !EnvironmentSlots.acquire(tx.handle(), placed.environment(), placed.slots(), id, number,
        lease.fence(), engine.nodeId(), tx.now())) {
      String reason = "all " + placed.slots() + " slots of environment '" + placed.environment() + "' are busy";
      Leases.requeue(tx.handle(), lease, tx.now().plus(SLOT_RECHECK), placed.environment());
      tx.append(ExecutionEvents.waiting(id, row.name(), placed.environment(), reason));
      return false;
    }
    if (!placed.environment().equals(row.environment())) Leases.setEnvironment(tx.handle(), lease, placed.environment());
    if (Steps.start(tx.handle(), id, number, tx.now())) {
      tx.append(ExecutionEvents.stepStarted(id, number, step.name(), step.attempts() + 1));
    } else if (!alreadyAttempted(tx, step, StepStatus.RUNNING)) {
      throw new Fenced(id);
    }
    return true;
  }

  /** Gives back the environment slot the step held, if any, and lets the next execution waiting for it go. */
  private void releaseSlot(EventLog.Tx tx, int stepNumber) {
    EnvironmentSlots.release(tx.handle(), id, stepNumber).ifPresent(environment -> {
      EnvironmentSlots.wakeNext(tx.handle(), environment);
      tx.wake(Signals.Channel.DISPATCH, "");
    });
  }

  /** A step whose output could not be stored was stopped for it: that, not a cancel, is how it ended. */
  private static StepOutcome unstored(StepOutcome outcome, StoreUnavailable why) {
    return new StepOutcome.Failed(outcome.exitCode(), "stopped because its output could not be stored: " + why.reason());
  }

  /** Settles a step whose attempt the database cut short; true when the execution goes on. */
  private boolean interrupted(StepRow step, StepSpec spec, String what) throws InterruptedException {
    return UntilStored.transact(engine.log(), id, "the interruption of step " + step.stepNumber(), tx -> {
      Leases.guard(tx.handle(), lease);
      StepRow now = Steps.forExecution(tx.handle(), id).get(step.stepNumber() - 1);
      releaseSlot(tx, step.stepNumber());
      if (now.status() != StepStatus.RUNNING) return true; // settled before the database went away
      String error = Interruptions.settle(tx, id, now, spec, what);
      if (error == null) return true;
      ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow(() -> new Fenced(id));
      Leases.end(tx.handle(), lease, ExecutionStatus.FAILED, error, tx.now(), step.stepNumber());
      tx.append(ExecutionEvents.completed(row, ExecutionStatus.FAILED, error, tx.now()));
      return false;
    });
  }

  /**
   * Whether the step already shows this attempt in {@code status}: a transaction that committed
   * although the database's answer was lost, now tried again.
   */
  private static boolean alreadyAttempted(EventLog.Tx tx, StepRow step, StepStatus status) {
    StepRow now = Steps.forExecution(tx.handle(), step.executionId()).get(step.stepNumber() - 1);
    return now.status() == status && now.attempts() == step.attempts() + 1;
  }

  private boolean record(StepRow step, SliceDecider.RunStep decision, Plan plan, StepOutcome outcome, String tail,
      CancelSignal cancel, Instant startedAt) throws InterruptedException {
    try {
      return recordOnce(step, decision, plan, outcome, tail, cancel, false, startedAt);
    } catch (Leases.CancelArrived cancelled) {
      return recordOnce(step, decision, plan, outcome, tail, cancel, true, startedAt);
    }
  }

  private boolean recordOnce(StepRow step, SliceDecider.RunStep decision, Plan plan, StepOutcome outcome, String tail,
      CancelSignal cancel, boolean cancelArrived, Instant startedAt) throws InterruptedException {
    if (outcome instanceof StepOutcome.AwaitingApproval call) {
      if (!cancel.cancelled() && !cancelArrived) return parkOnCall(step, call, tail, plan);
      outcome = new StepOutcome.Cancelled(); // the cancel wins: nobody is asked any more
    }
    StepStatus status = SliceDecider.statusOf(outcome);
    String error = describe(outcome);
    StepRow attempted = attempted(step, StepStatus.RUNNING, outcome.exitCode(), tail, error);
    Optional<Duration> retry = status == StepStatus.SUCCEEDED || status == StepStatus.CANCELLED
        || status == StepStatus.REJECTED || cancel.cancelled()
        || cancelArrived ? Optional.empty() : SliceDecider.retryDelay(decision.spec(), attempted.attempts());
    StepOutcome result = outcome;
    return UntilStored.transact(engine.log(), id, "step " + step.stepNumber() + "'s outcome", tx -> {
      Leases.guard(tx.handle(), lease);
      releaseSlot(tx, step.stepNumber());
      if (retry.isPresent()) {
        Steps.requeue(tx.handle(), id, step.stepNumber(), result.exitCode(), tail, error);
        Leases.release(tx.handle(), lease, tx.now().plus(retry.get()));
        tx.append(ExecutionEvents.stepCompleted(id, attempted, status, result.exitCode(), error, true));
        tx.wake(Signals.Channel.DISPATCH, "");
        return false;
      }
      if (!Steps.finish(tx.handle(), id, step.stepNumber(), StepStatus.RUNNING, status, result.exitCode(), tail, error,
          tx.now())) {
        if (alreadyAttempted(tx, step, status)) return true; // recorded by an attempt whose answer was lost
        throw new Fenced(id);
      }
      tx.append(ExecutionEvents.stepCompleted(id, attempted, status, result.exitCode(), error, false));
      var finished = new StepListener.FinishedStep(id, step.stepNumber(), decision.spec(), status, result.exitCode(),
          error, startedAt, tx.now());
      engine.stepListeners().forEach(listener -> listener.finished(tx, finished));
      return true;
    });
  }

  /**
   * The running step waits for a decision on the call it wants to make: the step and the execution
   * park in one transaction with the request's event, and the step runs again after the decision.
   * A cancel that arrives meanwhile rolls this back and is recorded instead. The plan's
   * {@code approval_timeout} holds for a call as it does for a gate.
   */
  private boolean parkOnCall(StepRow step, StepOutcome.AwaitingApproval call, String tail, Plan plan)
      throws InterruptedException {
    return UntilStored.transact(engine.log(), id, "step " + step.stepNumber() + "'s wait for a decision", tx -> {
      Leases.guard(tx.handle(), lease);
      Instant expires = plan.approvalTimeout() == null ? null : tx.now().plus(plan.approvalTimeout());
      if (!Steps.awaitDecisionOnCall(tx.handle(), id, step.stepNumber(), tail, tx.now(), expires)) throw new Fenced(id);
      releaseSlot(tx, step.stepNumber());
      ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow(() -> new Fenced(id));
      StepRow waiting = Steps.forExecution(tx.handle(), id).get(step.stepNumber() - 1);
      tx.append(ExecutionEvents.approvalRequested(row, waiting, tx.now(), expires, call.callKey(), call.tool(),
          call.arguments()));
      Leases.parkForApproval(tx.handle(), lease, step.stepNumber());
      return false;
    });
  }

  /** The step as it stands after one more attempt. */
  static StepRow attempted(StepRow step, StepStatus status, Integer exitCode, String tail, String error) {
    return new StepRow(step.executionId(), step.stepNumber(), step.name(), step.type(), step.command(),
        step.requiresApproval(), step.approved(), step.approvedBy(), step.approvalComment(), step.approvalRequestedAt(),
        step.approvalExpiresAt(), status, exitCode, step.startedAt(), null, tail, step.attempts() + 1, error);
  }

  private Duration timeout(ExecutionRow row, SliceDecider.RunStep decision, Plan plan) {
    Duration timeout = decision.spec().timeout() != null ? decision.spec().timeout() : engine.defaultStepTimeout();
    if (plan.timeout() != null && row.startedAt() != null) {
      Duration left = Duration.between(engine.log().clock().instant(), row.startedAt().plus(plan.timeout()));
      if (left.compareTo(timeout) < 0) timeout = left.isNegative() ? Duration.ZERO : left;
    }
    return timeout;
  }

  private Map<String, String> env(Plan plan, SliceDecider.RunStep decision, int number) {
    var env = new LinkedHashMap<String, String>();
    plan.env().forEach((k, v) -> env.put(k, v.value()));
    decision.spec().env().forEach((k, v) -> env.put(k, v.value()));
    env.put("STEPWISE_EXECUTION_ID", Long.toString(id));
    env.put("STEPWISE_STEP_NUMBER", Integer.toString(number));
    return env;
  }

  private static String describe(StepOutcome outcome) {
    return switch (outcome) {
      case StepOutcome.Succeeded s -> null;
      case StepOutcome.Failed f -> f.reason();
      case StepOutcome.TimedOut t -> "timed out after " + Durations.format(t.after());
      case StepOutcome.Cancelled c -> "cancelled";
      case StepOutcome.Rejected r -> r.reason();
      case StepOutcome.AwaitingApproval a -> null;
    };
  }
}
