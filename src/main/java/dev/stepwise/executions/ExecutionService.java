package dev.stepwise.executions;

import dev.stepwise.auth.Caller;
import dev.stepwise.auth.Permission;
import dev.stepwise.environments.Placements;
import dev.stepwise.events.EventLog;
import dev.stepwise.events.Signals;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.plans.StoredPlans;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Page;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.util.List;

/**
 * Submitting, reading, approving, cancelling and retrying executions. Every change is one
 * transaction with its events; nothing here waits for the work itself. Thread-safe.
 */
public final class ExecutionService {
  private final EventLog log;
  private final Executions executions;
  private final Steps steps;
  private final StoredPlans plans;
  private final Placements placements;
  private final ParkedCalls parkedCalls;
  private final StartAtOnce startAtOnce;

  /**
   * @param plans how plans are stored (their secrets sealed) and loaded again
   * @param placements which environment each step runs on; plans nothing can run are refused
   * @param startAtOnce this node's engine, which may start a submitted execution as it is queued
   */
  public ExecutionService(EventLog log, Executions executions, StoredPlans plans, Placements placements,
      ParkedCalls parkedCalls, StartAtOnce startAtOnce) {
    this.parkedCalls = parkedCalls;
    this.startAtOnce = startAtOnce;
    this.log = log;
    this.executions = executions;
    this.steps = new Steps(executions.db());
    this.plans = plans;
    this.placements = placements;
  }

  public PlanParser parser() {
    return plans.parser();
  }

  /** Queues a plan (starting it at once where this node may, see below); answers at once with the new execution. */
  public Execution submit(Caller caller, PlanParser.Parsed parsed) {
    return submit(caller, parsed.plan(), plans.store(parsed), null);
  }

  /**
   * Queues every plan of {@code plans} in one transaction, in order (all or none), and returns their
   * ids. Each plan is checked first, as one submitted alone would be.
   */
  public List<Long> submitAll(Caller caller, List<PlanParser.Parsed> parsed) {
    for (int i = 0; i < parsed.size(); i++) {
      int index = i;
      placements.problem(parsed.get(i).plan()).ifPresent(problem -> {
        throw ApiError.validation("plans[" + index + "]." + problem.field(), problem.reason());
      });
    }
    List<String> stored = parsed.stream().map(plans::store).toList();
    List<Long> ids = log.transact(tx -> {
      List<Long> queued = new java.util.ArrayList<>(parsed.size());
      for (int i = 0; i < parsed.size(); i++) {
        queued.add(enqueue(tx, caller, parsed.get(i).plan(), stored.get(i), null, null));
      }
      return queued;
    });
    executions.db().statistics().queued(ids.size()); // a bulk load changes what the claim's plan should be
    return ids;
  }

  /**
   * Queues one plan, in a transaction shared with what commits at the same moment (many clients
   * submitting at once share commits); on a node with a free worker and nothing to claim before it,
   * the execution also starts in that transaction ({@link StartAtOnce}).
   */
  private Execution submit(Caller caller, Plan plan, String planJson, Long retryOf) {
    checkPlacement(plan);
    StartAtOnce.Chance chance = plan.steps().getFirst().needsApproval() ? null : startAtOnce.offer().orElse(null);
    long id;
    try {
      id = log.transactShared(tx -> enqueue(tx, caller, plan, planJson, retryOf, chance));
    } catch (RuntimeException | Error e) {
      if (chance != null) chance.failed(e);
      throw e;
    }
    if (chance != null) chance.committed();
    executions.db().statistics().queued(1); // the plans made for a small table go stale as it grows
    return get(id);
  }

  /**
   * Queues a plan inside the caller's transaction, so that what the caller stores with it (test
   * cases, say) and the execution commit together; the dispatcher is woken after the commit.
   *
   * @return the new execution's id
   */
  public long enqueue(EventLog.Tx tx, Caller caller, PlanParser.Parsed parsed) {
    checkPlacement(parsed.plan());
    executions.db().statistics().queued(1);
    return enqueue(tx, caller, parsed.plan(), plans.store(parsed), null, null);
  }

  /** @param chance this node's chance to start it at once, or null to leave it to a claim */
  private long enqueue(EventLog.Tx tx, Caller caller, Plan plan, String planJson, Long retryOf,
      StartAtOnce.Chance chance) {
    long newId = executions.insert(tx.handle(),
        new Executions.NewExecution(plan, planJson, placements.localLabelsNeeded(plan), caller.userId(),
            caller.user().username(), retryOf), tx.now());
    tx.append(ExecutionEvents.queued(newId, plan, caller.user().username()));
    if (plan.steps().getFirst().needsApproval()) {
      awaitFirstApproval(tx, Executions.find(tx.handle(), newId).orElseThrow(), plan);
    } else if (chance == null || !chance.take(tx, newId)) {
      tx.wake(Signals.Channel.DISPATCH, "");
    }
    return newId;
  }

  private void checkPlacement(Plan plan) {
    placements.problem(plan).ifPresent(problem -> {
      throw ApiError.validation(problem.field(), problem.reason());
    });
  }

  /**
   * A plan whose first step needs a decision waits for it from the start: nothing can run before
   * the decision, so there is nothing to dispatch, and the submitter sees {@code waiting_approval}
   * in the response itself.
   */
  private static void awaitFirstApproval(EventLog.Tx tx, ExecutionRow row, Plan plan) {
    var expires = plan.approvalTimeout() == null ? null : tx.now().plus(plan.approvalTimeout());
    Steps.awaitApproval(tx.handle(), row.id(), 1, tx.now(), expires);
    Executions.awaitFirstDecision(tx.handle(), row.id());
    StepRow first = Steps.forExecution(tx.handle(), row.id()).getFirst();
    tx.append(ExecutionEvents.approvalRequested(row, first, tx.now(), expires));
  }

  public Execution get(long id) {
    return executions.view(id).orElseThrow(() -> notFound(id));
  }

  public Page<Execution> list(Executions.Filter filter, long beforeId, int limit) {
    return executions.list(filter, beforeId, limit);
  }

  /** The plan an execution runs, as submitted, its secret values hidden. */
  public String plan(long id) {
    return plans.shown(executions.find(id).orElseThrow(() -> notFound(id)).planJson());
  }

  /** How many steps wait for a decision. */
  public long countPendingApprovals() {
    return executions.countWaitingSteps();
  }

  /**
   * The end of a step's log, with the id of the last event it includes: a live view shows this,
   * then appends the {@code step.output} events after that id, so no line is missed or shown twice.
   */
  public Steps.LogTail logTail(long id, int step, int maxLines) {
    requireStep(id, step);
    return steps.tail(id, step, maxLines);
  }

  public List<Execution> active() {
    return executions.active(1000);
  }

  /** The full output of one step. */
  public String logs(long id, int step) {
    requireStep(id, step);
    return steps.output(id, step);
  }

  private void requireStep(long id, int step) {
    Execution execution = get(id);
    if (step < 1 || step > execution.steps().size()) {
      throw ApiError.validation("step", "must be from 1 to " + execution.steps().size());
    }
  }

  /** The longest comment a decision may carry. */
  public static final int MAX_COMMENT = 2000;

  /**
   * Approves or rejects a waiting step; a step that is not waiting is a 409. Every way in (HTTP,
   * the seed views, the WebSocket) meets the same checks here.
   */
  public Execution decide(Caller caller, long id, int stepNumber, boolean approve, String comment) {
    return decide(caller, id, stepNumber, approve, comment, null);
  }

  /**
   * The same, for a step parked on a tool call: with {@code callKey} (from the request's
   * {@code approval.requested}) the decision counts only for that call, so a decision sent again
   * later can never land on the next call; a mismatch is a 409.
   */
  public Execution decide(Caller caller, long id, int stepNumber, boolean approve, String comment, String callKey) {
    new Validation().length("comment", comment, 0, MAX_COMMENT).length("call_key", callKey, 1, 100).orThrow();
    log.transact(tx -> {
      ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow(() -> notFound(id));
      List<StepRow> all = Steps.forExecution(tx.handle(), id);
      if (stepNumber < 1 || stepNumber > all.size()) throw ApiError.notFound("execution " + id + " has no step " + stepNumber);
      StepRow step = all.get(stepNumber - 1);
      if (step.status() != StepStatus.WAITING_APPROVAL) {
        throw new IllegalTransition("step " + stepNumber + " of execution " + id + " is " + step.status().wireName()
            + ", not waiting for approval");
      }
      String by = caller.user().username();
      if (parkedCalls.decide(tx, id, stepNumber, approve, by, comment, callKey)) {
        ApprovalDecisions.resumeAfterCall(tx, row, step, approve, by, comment);
      } else if (callKey != null) {
        throw new IllegalTransition("step " + stepNumber + " of execution " + id + " waits on no tool call");
      } else if (approve) ApprovalDecisions.approve(tx, row, step, caller.user().username(), comment);
      else ApprovalDecisions.reject(tx, row, step, caller.user().username(), comment);
      return null;
    });
    return get(id);
  }

  /** What a cancel request did. */
  public record CancelResult(Execution execution, boolean cancelled, String message) {}

  /**
   * Cancels at once what is not running on a node; asks the node running it to stop its process
   * otherwise. Only the submitter or a holder of {@code execution:cancel} may cancel.
   */
  public CancelResult cancel(Caller caller, long id) {
    ExecutionRow current = executions.find(id).orElseThrow(() -> notFound(id));
    if (!caller.can(Permission.EXECUTION_CANCEL) && !submittedBy(caller, current)) {
      throw ApiError.forbidden(Permission.EXECUTION_CANCEL.wireName());
    }
    return stop(caller, id);
  }

  /**
   * Cancels an execution for a caller whose right to do so the caller's own service checked (a
   * task's run is cancelled by whoever may change the task).
   */
  public CancelResult stop(Caller caller, long id) {
    String outcome = log.transact(tx -> {
      ExecutionRow row = Executions.find(tx.handle(), id).orElseThrow(() -> notFound(id));
      if (row.status().finished()) {
        throw new IllegalTransition("execution " + id + " is already " + row.status().wireName());
      }
      String reason = "cancelled by " + caller.user().username();
      boolean cancelledHere = row.status() == ExecutionStatus.RUNNING
          ? Executions.cancelParked(tx.handle(), id, reason, tx.now())
          : Executions.transition(tx.handle(), id, row.status(), ExecutionStatus.CANCELLED, reason, tx.now());
      if (!cancelledHere) {
        // a node holds it (or just claimed it): ask that node to stop the running step; asked again
        // when the request is already recorded, since the first ask may not have reached it
        Executions.requestCancel(tx.handle(), id);
        tx.wake(Signals.Channel.CANCEL, Long.toString(id));
        return "requested";
      }
      Steps.closeRemaining(tx.handle(), id, StepStatus.CANCELLED, tx.now());
      tx.append(ExecutionEvents.completed(row, ExecutionStatus.CANCELLED, reason, tx.now()));
      return "cancelled";
    });
    boolean done = outcome.equals("cancelled");
    return new CancelResult(get(id), done, done ? "cancelled"
        : "cancellation requested: the running step is being stopped");
  }

  /** Whether {@code caller} submitted the execution: by user id, so a later user of the same name is not its owner. */
  public boolean submittedBy(Caller caller, long id) {
    return submittedBy(caller, executions.find(id).orElseThrow(() -> notFound(id)));
  }

  private static boolean submittedBy(Caller caller, ExecutionRow row) {
    return row.createdById() != null && row.createdById() == caller.userId();
  }

  /** A new execution of the same plan. */
  public Execution retry(Caller caller, long id) {
    ExecutionRow row = executions.find(id).orElseThrow(() -> notFound(id));
    if (!row.status().finished()) {
      throw new IllegalTransition("execution " + id + " is still " + row.status().wireName() + "; retry it once it has finished");
    }
    if (row.kind() == dev.stepwise.plans.ExecutionKind.TASK) {
      throw ApiError.conflict("execution " + id + " is a coding task's run: run the task again with "
          + "POST /api/v1/tasks/{id}/execute");
    }
    return submit(caller, plans.load(row.planJson()), row.planJson(), id);
  }

  /**
   * Steps waiting for a decision, oldest first, each with the tool call it waits on if it waits on
   * one; optionally of one kind of execution only.
   */
  public List<PendingApproval> pendingApprovals(ExecutionKind kind) {
    return executions.db().reads().withHandle(h -> h.createQuery("""
            SELECT e.id, e.name, e.kind, e.priority, e.created_by_name, e.plan_json, s.step_number, s.name AS step_name,
              s.command, s.approval_requested_at, s.approval_expires_at
            FROM steps s JOIN executions e ON e.id = s.execution_id
            WHERE s.status = 'waiting_approval'""" + (kind == null ? "" : " AND e.kind = :kind") + """

            ORDER BY s.approval_requested_at, e.id LIMIT 1000""")
        .bind("kind", kind == null ? null : kind.wireName())
        .map((rs, ctx) -> {
          Plan plan = plans.loadShape(rs.getString("plan_json")); // where it runs; its secrets stay sealed
          String environment = placements.of(plan, plan.steps().get(rs.getInt("step_number") - 1));
          return new PendingApproval(rs.getLong("id"), rs.getString("name"),
              ExecutionKind.fromWireName(rs.getString("kind")).orElseThrow(), rs.getInt("priority"),
              rs.getInt("step_number"), rs.getString("step_name"), rs.getString("command"),
              rs.getString("created_by_name"), Columns.instant(rs, "approval_requested_at"),
              Columns.instant(rs, "approval_expires_at"), null, environment, placements.address(environment));
        })
        .list().stream()
        .map(pending -> pending.withCall(parkedCalls.waiting(h, pending.executionId(), pending.stepNumber()).orElse(null)))
        .toList());
  }

  private static ApiError notFound(long id) {
    return ApiError.notFound("there is no execution with id " + id);
  }
}
