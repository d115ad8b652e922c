package dev.stepwise.tasks.run;

import dev.stepwise.events.EventLog;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepRun;
import dev.stepwise.runners.StepRunner;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.Repositories;
import dev.stepwise.tasks.RepositoryInstructions;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.Tasks;
import dev.stepwise.tasks.Worktrees;
import dev.stepwise.tasks.backends.AgentBackend;
import dev.stepwise.tasks.backends.PhaseResult;
import dev.stepwise.tasks.backends.PhaseWork;
import dev.stepwise.tasks.sessions.ActivityKind;
import dev.stepwise.tasks.sessions.Session;
import dev.stepwise.tasks.sessions.SessionLog;
import dev.stepwise.tasks.sessions.Sessions;
import dev.stepwise.web.ApiError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs the {@code task} steps of a task's execution: makes the task's worktree, hands the phase to
 * the task's agent backend, then keeps what the phase produced on the task (the plan, the diff's
 * files, additions and deletions) and, after the AI review, its verdict. Every write first checks
 * that this node still holds the execution. Thread-safe.
 */
public final class TaskPhaseRunner implements StepRunner {
  private final EventLog log;
  private final Sessions sessions;
  private final Tasks tasks;
  private final Repositories repositories;
  private final Worktrees worktrees;
  private final Map<String, AgentBackend> backends;

  public TaskPhaseRunner(EventLog log, Sessions sessions, Tasks tasks, Repositories repositories, Worktrees worktrees,
      List<AgentBackend> backends) {
    this.log = log;
    this.sessions = sessions;
    this.tasks = tasks;
    this.repositories = repositories;
    this.worktrees = worktrees;
    this.backends = backends.stream().collect(Collectors.toUnmodifiableMap(AgentBackend::name, Function.identity()));
  }

  @Override
  public StepOutcome run(StepRun step, OutputSink output) throws InterruptedException {
    Phase phase = Phase.ofStep(step.spec().name()).filter(Phase::agentWork).orElse(null);
    if (phase == null) return failed("step '" + step.spec().name() + "' is no phase of a task's run");
    Session session = sessions.ofExecution(step.executionId()).orElse(null);
    if (session == null) {
      return failed("execution " + step.executionId() + " is not a task's run: start one with POST /api/v1/tasks/{id}/execute");
    }
    Task task = tasks.find(session.taskId()).orElse(null);
    if (task == null) return failed("task " + session.taskId() + " was deleted");
    AgentBackend backend = backends.get(task.agent());
    if (backend == null) return failed("this server has no agent backend named '" + task.agent() + "'");
    String unavailable = backend.unavailable();
    if (unavailable != null) return failed(unavailable);
    try {
      // checked again at every phase: the repository may have moved, or an admin closed its root, since the task was made
      repositories.check(task.repositoryPath());
    } catch (ApiError e) {
      Object fields = e.details().get("fields");
      return failed("repository " + task.repositoryPath() + " is not open to tasks any more: "
          + (fields instanceof Map<?, ?> reasons ? reasons.values().iterator().next() : e.getMessage()));
    }
    Path worktree;
    try {
      worktree = worktrees.prepare(task);
    } catch (ApiError | java.io.UncheckedIOException e) {
      return failed(e.getMessage());
    }
    output.line("[task " + task.id() + "] " + phase.stepName() + " with the " + backend.name() + " agent in " + worktree);
    String diff = null;
    if (phase == Phase.AI_REVIEW) {
      try {
        diff = worktrees.patch(task);
      } catch (ApiError e) {
        if (step.cancel().cancelled()) return new StepOutcome.Cancelled();
        diff = "(the changes could not be read: " + e.getMessage() + "; run git diff)";
      }
    }
    String prompt = PhasePrompts.of(phase, task, diff, RepositoryInstructions.read(worktree));
    PhaseResult result = backend.run(new PhaseWork(task, session, phase, worktree, prompt, step, output));
    return keep(step, task, session, phase, result);
  }

  /** Keeps what the phase produced, and decides the review's outcome. */
  private StepOutcome keep(StepRun step, Task task, Session session, Phase phase, PhaseResult result) {
    StepOutcome outcome = result.outcome();
    if (outcome instanceof StepOutcome.AwaitingApproval) return outcome;
    boolean succeeded = outcome instanceof StepOutcome.Succeeded;
    if (phase == Phase.PLANNING && succeeded) {
      write(step, tx -> Tasks.recordPlan(tx.handle(), task.id(), result.reply(), tx.now()));
    }
    if (phase.writes() || phase == Phase.AI_REVIEW) {
      try {
        recordDiff(step, task, session);
      } catch (RuntimeException e) {
        // stopped (a cancel, a shutdown) while reading the work: the step ends as it was going to
        if (!step.cancel().cancelled()) throw e;
        return outcome instanceof StepOutcome.Cancelled ? outcome : new StepOutcome.Cancelled();
      }
    }
    if (phase == Phase.AI_REVIEW && succeeded) {
      var verdict = PhasePrompts.passed(result.reply());
      if (verdict.isPresent() && !verdict.get()) {
        return new StepOutcome.Failed(null, "the AI review asked for changes: " + firstLines(result.reply()));
      }
      if (verdict.isEmpty()) {
        write(step, tx -> SessionLog.record(tx, session, ActivityKind.STATUS,
            "the review gave no VERDICT line; it is taken as a pass", null, null));
      }
    }
    return outcome;
  }

  /** Keeps what the work changes so far on the task, and says so in the activity. */
  private void recordDiff(StepRun step, Task task, Session session) {
    Worktrees.DiffStat diff;
    try {
      diff = worktrees.diffStat(task);
    } catch (ApiError e) {
      if (step.cancel().cancelled()) throw e;
      write(step, tx -> SessionLog.record(tx, session, ActivityKind.ERROR, "the work's changes could not be read: "
          + e.getMessage(), null, null));
      return;
    }
    write(step, tx -> {
      Tasks.recordDiff(tx.handle(), task.id(), diff, tx.now());
      SessionLog.record(tx, session, ActivityKind.STATUS, "the work changes " + diff.filesChanged()
          + (diff.filesChanged() == 1 ? " file: +" : " files: +") + diff.additions() + " −" + diff.deletions(), null,
          TaskLifecycle.details("files_changed", diff.filesChanged(), "additions", diff.additions(), "deletions",
              diff.deletions()));
    });
  }

  private void write(StepRun step, java.util.function.Consumer<EventLog.Tx> work) {
    log.transact(tx -> {
      step.fence().accept(tx.handle());
      work.accept(tx);
      return null;
    });
  }

  private static String firstLines(String text) {
    String strip = text.strip();
    return strip.length() <= 1000 ? strip : strip.substring(0, 1000) + "…";
  }

  private static StepOutcome failed(String reason) {
    return new StepOutcome.Failed(null, reason);
  }
}
