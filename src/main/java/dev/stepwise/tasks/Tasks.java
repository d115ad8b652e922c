package dev.stepwise.tasks;

import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The task store. Changes run inside the caller's transaction, so their events go with them. Thread-safe. */
public final class Tasks {
  private static final String COLUMNS = "id, title, description, status, repository_path, base_ref, agent, review_plan, "
      + "review_merge, approval_edit, approval_shell, session_id, plan, files_changed, additions, deletions, error, "
      + "created_by_name, created_at, updated_at";
  /** The statuses of a task whose run is under way, as SQL. */
  private static final String RUNNING = "('planning', 'planning_review', 'in_progress', 'ai_review')";

  private final Database db;

  public Tasks(Database db) {
    this.db = db;
  }

  /** What a person sets on a task. */
  public record Fields(String title, String description, String repositoryPath, String baseRef, String agent,
      Review review, ToolApproval approval) {}

  /** Inserts a task in {@code todo}; returns its id. */
  public static long insert(Handle h, Fields fields, Long createdBy, String createdByName, Instant now) {
    return h.createQuery("""
            INSERT INTO tasks (title, description, status, repository_path, base_ref, agent, review_plan, review_merge,
              approval_edit, approval_shell, created_by, created_by_name, created_at, updated_at)
            VALUES (:title, :description, 'todo', :repositoryPath, :baseRef, :agent, :plan, :merge, :edit, :shell, :by,
              :byName, :now, :now)
            RETURNING id""")
        .bindMethods(fields).bind("plan", fields.review().plan().wireName())
        .bind("merge", fields.review().merge().wireName()).bind("edit", fields.approval().edit().wireName())
        .bind("shell", fields.approval().shell().wireName()).bind("by", createdBy).bind("byName", createdByName)
        .bind("now", now.toEpochMilli()).mapTo(Long.class).one();
  }

  public Optional<Task> find(long id) {
    return db.reads().withHandle(h -> find(h, id));
  }

  public static Optional<Task> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE id = :id").bind("id", id).map(Tasks::map).findOne();
  }

  /** Newest first, optionally of one status; the cursor is the last id of the previous page. */
  public Page<Task> list(TaskStatus status, long beforeId, int limit) {
    List<Task> rows = db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE id < :before"
            + (status == null ? "" : " AND status = :status") + " ORDER BY id DESC LIMIT :limit")
        .bind("before", beforeId <= 0 ? Long.MAX_VALUE : beforeId)
        .bind("status", status == null ? null : status.wireName())
        .bind("limit", limit + 1).map(Tasks::map).list());
    return Page.of(rows, limit, Task::id);
  }

  /** Replaces what a person sets, unless a run is under way; returns whether it did. */
  public static boolean update(Handle h, long id, Fields fields, Instant now) {
    return h.createUpdate("""
            UPDATE tasks SET title = :title, description = :description, repository_path = :repositoryPath,
              base_ref = :baseRef, agent = :agent, review_plan = :plan, review_merge = :merge, approval_edit = :edit,
              approval_shell = :shell, updated_at = :now
            WHERE id = :id AND status NOT IN""" + " " + RUNNING)
        .bindMethods(fields).bind("plan", fields.review().plan().wireName())
        .bind("merge", fields.review().merge().wireName()).bind("edit", fields.approval().edit().wireName())
        .bind("shell", fields.approval().shell().wireName()).bind("now", now.toEpochMilli()).bind("id", id)
        .execute() == 1;
  }

  /** Deletes a task unless a run is under way, with its sessions and their activity; returns whether it did. */
  public static boolean delete(Handle h, long id) {
    if (h.createUpdate("DELETE FROM tasks WHERE id = :id AND status NOT IN " + RUNNING).bind("id", id).execute() != 1) {
      return false;
    }
    for (String table : List.of("session_activity", "agent_permissions")) {
      h.createUpdate("DELETE FROM " + table + " WHERE session_id IN (SELECT id FROM task_sessions WHERE task_id = :id)")
          .bind("id", id).execute();
    }
    h.createUpdate("DELETE FROM task_sessions WHERE task_id = :id").bind("id", id).execute();
    return true;
  }

  /**
   * Starts a run: the task goes from {@code from} (an ended status) to {@code planning} with its
   * new session, its last error and plan cleared. Returns whether it was still {@code from}.
   */
  public static boolean start(Handle h, long id, TaskStatus from, long sessionId, Instant now) {
    return h.createUpdate("""
            UPDATE tasks SET status = 'planning', session_id = :session, error = NULL, plan = NULL, updated_at = :now
            WHERE id = :id AND status = :from""")
        .bind("session", sessionId).bind("now", now.toEpochMilli()).bind("id", id).bind("from", from.wireName())
        .execute() == 1;
  }

  /** Moves the task from {@code from} to {@code to} (compare-and-set); {@code error} is kept with it. */
  public static boolean move(Handle h, long id, TaskStatus from, TaskStatus to, String error, Instant now) {
    return h.createUpdate("UPDATE tasks SET status = :to, error = :error, updated_at = :now WHERE id = :id AND status = :from")
        .bind("to", to.wireName()).bind("error", error).bind("now", now.toEpochMilli()).bind("id", id)
        .bind("from", from.wireName()).execute() == 1;
  }

  /** Keeps the plan its run's planning phase wrote. */
  public static void recordPlan(Handle h, long id, String plan, Instant now) {
    h.createUpdate("UPDATE tasks SET plan = :plan, updated_at = :now WHERE id = :id")
        .bind("plan", plan).bind("now", now.toEpochMilli()).bind("id", id).execute();
  }

  /** Keeps what its work changed so far. */
  public static void recordDiff(Handle h, long id, Worktrees.DiffStat diff, Instant now) {
    h.createUpdate("""
            UPDATE tasks SET files_changed = :files, additions = :additions, deletions = :deletions, updated_at = :now
            WHERE id = :id""")
        .bind("files", diff.filesChanged()).bind("additions", diff.additions()).bind("deletions", diff.deletions())
        .bind("now", now.toEpochMilli()).bind("id", id).execute();
  }

  static Task map(ResultSet rs, StatementContext ctx) throws SQLException {
    long id = rs.getLong("id");
    return new Task(id, rs.getString("title"), rs.getString("description"),
        TaskStatus.fromWireName(rs.getString("status")).orElseThrow(), rs.getString("repository_path"),
        rs.getString("base_ref"), Task.branchOf(id), rs.getString("agent"),
        new Review(Review.Gate.fromWireName(rs.getString("review_plan")).orElseThrow(),
            Review.Gate.fromWireName(rs.getString("review_merge")).orElseThrow()),
        new ToolApproval(ApprovalMode.parse(rs.getString("approval_edit")), ApprovalMode.parse(rs.getString("approval_shell"))),
        Columns.longValue(rs, "session_id"), rs.getString("plan"), rs.getInt("files_changed"), rs.getInt("additions"),
        rs.getInt("deletions"), rs.getString("error"), rs.getString("created_by_name"),
        Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"));
  }
}
