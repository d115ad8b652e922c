package dev.stepwise.tasks.run;

import dev.stepwise.auth.Caller;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.TaskEvents;
import dev.stepwise.tasks.TaskStatus;
import dev.stepwise.tasks.Tasks;
import dev.stepwise.tasks.sessions.Session;
import dev.stepwise.tasks.sessions.SessionLog;
import dev.stepwise.tasks.sessions.Sessions;
import dev.stepwise.web.ApiError;
import java.time.Duration;

/**
 * Starts and cancels task runs (API.md §6). Executing a task is one transaction of database work
 * only: the task moves to {@code planning}, its session and its execution are stored, and their
 * events appended; everything slow (the worktree, the agent) happens in the execution's steps. So
 * the answer never waits for the agent. Thread-safe.
 */
public final class TaskRuns {
  private final EventLog log;
  private final ExecutionService executions;
  private final Duration phaseTimeout;

  public TaskRuns(EventLog log, ExecutionService executions, Duration phaseTimeout) {
    this.log = log;
    this.executions = executions;
    this.phaseTimeout = phaseTimeout;
  }

  /** What {@code execute} started. */
  public record Started(long taskId, long sessionId, long executionId, String status, String message) {}

  /** Starts a run of a task that is not running; 409 when it is. */
  public Started execute(Caller caller, long taskId) {
    return log.transact(tx -> {
      Task task = Tasks.find(tx.handle(), taskId).orElseThrow(() -> notFound(taskId));
      if (task.status().running()) throw running(task);
      PlanParser.Parsed plan = executions.parser().parse(TaskPlans.of(task, phaseTimeout));
      long executionId = executions.enqueue(tx, caller, plan);
      long sessionId = Sessions.insert(tx.handle(), taskId, executionId, task.agent(), tx.now());
      if (!Tasks.start(tx.handle(), taskId, task.status(), sessionId, tx.now())) throw running(task);
      // the session first: a follower of the task's topic knows the run before its first status change
      SessionLog.started(tx, Sessions.find(tx.handle(), sessionId).orElseThrow());
      TaskEvents.statusChanged(tx, taskId, task.status(), TaskStatus.PLANNING, null);
      return new Started(taskId, sessionId, executionId, "execution_started", "task " + taskId + " is planning with the "
          + task.agent() + " agent in execution " + executionId + "; follow it on task:" + taskId);
    });
  }

  /** What {@code cancel} did. */
  public record Cancelled(long taskId, long sessionId, boolean cancelled, String message) {}

  /**
   * Cancels a task's run: at once when no phase is running, else its agent is stopped (its session
   * aborted) and the task ends {@code cancelled} when it has. The worktree stays for inspection.
   */
  public Cancelled cancel(Caller caller, long taskId) {
    Task task = log.transact(tx -> Tasks.find(tx.handle(), taskId)).orElseThrow(() -> notFound(taskId));
    if (!task.status().running() || task.sessionId() == null) {
      throw ApiError.conflict("task " + taskId + " is " + task.status().wireName() + ": only a running task can be cancelled");
    }
    Session session = log.transact(tx -> Sessions.find(tx.handle(), task.sessionId())).orElseThrow();
    ExecutionService.CancelResult result = executions.stop(caller, session.executionId());
    return new Cancelled(taskId, session.sessionId(), result.cancelled(), result.cancelled() ? "cancelled"
        : "cancellation requested: the agent is being stopped");
  }

  private static ApiError running(Task task) {
    return ApiError.conflict("task " + task.id() + " is already running (" + task.status().wireName()
        + "); cancel it first, or wait for its run to end");
  }

  private static ApiError notFound(long id) {
    return ApiError.notFound("there is no task with id " + id);
  }
}
