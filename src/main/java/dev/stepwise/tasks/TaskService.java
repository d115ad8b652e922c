package dev.stepwise.tasks;

import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.auth.Caller;
import dev.stepwise.events.EventLog;
import dev.stepwise.store.Page;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.nio.file.Path;
import java.util.List;

/** Creating, reading, changing and deleting coding tasks (API.md §6). Thread-safe. */
public final class TaskService {
  /** The agent backends a task can name. */
  public static final List<String> AGENTS = List.of("opencode", "native");

  private final EventLog log;
  private final Tasks tasks;
  private final Repositories repositories;
  private final Worktrees worktrees;
  private final String defaultAgent;

  public TaskService(EventLog log, Tasks tasks, Repositories repositories, Worktrees worktrees, String defaultAgent) {
    this.log = log;
    this.tasks = tasks;
    this.repositories = repositories;
    this.worktrees = worktrees;
    this.defaultAgent = defaultAgent;
  }

  /** Which reviews a task has: {@code human} or {@code none} each; either may be left out. */
  public record ReviewRequest(String plan, String merge) {}

  /** Which agent actions wait for a person: {@code always}, {@code risky} or {@code never} each; either may be left out. */
  public record ApprovalRequest(String edit, String shell) {}

  /** A new task, or the changes to one: fields left out stay as they are (or take their defaults). */
  public record Request(String title, String description, String repositoryPath, String baseRef, String agent,
      ReviewRequest review, ApprovalRequest approval) {}

  public Task create(Caller caller, Request request) {
    Tasks.Fields fields = checked(request, null);
    long id = log.transact(tx -> {
      long created = Tasks.insert(tx.handle(), fields, caller.userId(), caller.user().username(), tx.now());
      TaskEvents.statusChanged(tx, created, null, TaskStatus.TODO, null);
      return created;
    });
    return get(id);
  }

  public Task get(long id) {
    return tasks.find(id).orElseThrow(() -> notFound(id));
  }

  public Page<Task> list(TaskStatus status, long beforeId, int limit) {
    return tasks.list(status, beforeId, limit);
  }

  /** Changes what the request names; a task whose run is under way is a 409. */
  public Task update(long id, Request request) {
    Task current = get(id);
    if (current.status().running()) throw running(current);
    Tasks.Fields fields = checked(request, current);
    log.transact(tx -> {
      if (!Tasks.update(tx.handle(), id, fields, tx.now())) {
        throw running(Tasks.find(tx.handle(), id).orElseThrow(() -> notFound(id)));
      }
      return null;
    });
    return get(id);
  }

  /** Deletes a task that is not running, then its worktree (its branch stays, with the work on it). */
  public void delete(long id) {
    Task deleted = log.transact(tx -> {
      Task task = Tasks.find(tx.handle(), id).orElseThrow(() -> notFound(id));
      if (!Tasks.delete(tx.handle(), id)) throw running(task);
      return task;
    });
    worktrees.remove(deleted);
  }

  /** The task's work as a patch against where its branch left the base; empty before its first run. */
  public String diff(long id) {
    return worktrees.patch(get(id));
  }

  /** The request's fields over {@code current}'s (or the defaults for a new task), every one checked. */
  private Tasks.Fields checked(Request request, Task current) {
    String title = request.title() != null ? request.title().strip() : current == null ? null : current.title();
    String description = request.description() != null ? request.description()
        : current == null ? "" : current.description();
    String agent = request.agent() != null ? request.agent() : current == null ? defaultAgent : current.agent();
    Review base = current == null ? Review.BOTH : current.review();
    var validation = new Validation().require("title", title).length("title", title, 1, 200)
        .length("description", description, 0, 20_000)
        .check("agent", AGENTS.contains(agent), "must be one of " + String.join(", ", AGENTS));
    Review review = review(validation, request.review(), base);
    ToolApproval approval = approval(validation, request.approval(),
        current == null ? ToolApproval.DEFAULT : current.approval());
    validation.orThrow();
    Path repository;
    String baseRef;
    if (current == null || request.repositoryPath() != null) {
      repository = repositories.check(request.repositoryPath());
      baseRef = repositories.baseRef(repository, request.baseRef());
    } else {
      repository = Path.of(current.repositoryPath());
      baseRef = request.baseRef() == null ? current.baseRef() : repositories.baseRef(repository, request.baseRef());
    }
    return new Tasks.Fields(title, description, repository.toString(), baseRef, agent, review, approval);
  }

  private static ToolApproval approval(Validation validation, ApprovalRequest request, ToolApproval base) {
    if (request == null) return base;
    ApprovalMode edit = mode(validation, "approval.edit", request.edit(), base.edit());
    ApprovalMode shell = mode(validation, "approval.shell", request.shell(), base.shell());
    return edit == null || shell == null ? base : new ToolApproval(edit, shell);
  }

  private static ApprovalMode mode(Validation validation, String field, String value, ApprovalMode base) {
    if (value == null) return base;
    ApprovalMode mode = ApprovalMode.parse(value);
    validation.check(field, mode != null, "must be always, risky or never");
    return mode;
  }

  private static Review review(Validation validation, ReviewRequest request, Review base) {
    if (request == null) return base;
    Review.Gate plan = gate(validation, "review.plan", request.plan(), base.plan());
    Review.Gate merge = gate(validation, "review.merge", request.merge(), base.merge());
    return plan == null || merge == null ? base : new Review(plan, merge);
  }

  private static Review.Gate gate(Validation validation, String field, String value, Review.Gate base) {
    if (value == null) return base;
    Review.Gate gate = Review.Gate.fromWireName(value).orElse(null);
    validation.check(field, gate != null, "must be human or none");
    return gate;
  }

  private static ApiError running(Task task) {
    return ApiError.conflict("task " + task.id() + " is " + task.status().wireName()
        + ": it can change once its run has ended");
  }

  private static ApiError notFound(long id) {
    return ApiError.notFound("there is no task with id " + id);
  }
}
