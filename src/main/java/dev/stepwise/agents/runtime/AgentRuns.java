package dev.stepwise.agents.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.web.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The checkpoint of agent runs: each run, its model turns and its tool calls. Every write is a
 * compare-and-set inside the caller's transaction, next to the event that reports it. Thread-safe.
 */
public final class AgentRuns {
  private static final String CALL = "SELECT turn, position, call_id, tool, arguments, status, decided_by, "
      + "decision_comment, output, exit_code FROM agent_tool_calls";

  private final Database db;

  public AgentRuns(Database db) {
    this.db = db;
  }

  /**
   * What a run has done so far, for the seed's run view.
   *
   * @param turns model answers recorded
   * @param toolCalls tool calls asked for
   */
  public record Progress(long executionId, String agent, Long threadId, int turns, int toolCalls) {}

  /** The progress of the first agent run of an execution, if it has one. */
  public Optional<Progress> progress(long executionId) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT r.execution_id, r.agent, r.thread_id,
              (SELECT COUNT(*) FROM agent_turns t WHERE t.execution_id = r.execution_id AND t.step_number = r.step_number) AS turns,
              (SELECT COUNT(*) FROM agent_tool_calls c WHERE c.execution_id = r.execution_id AND c.step_number = r.step_number) AS calls
            FROM agent_runs r WHERE r.execution_id = :id ORDER BY r.step_number LIMIT 1""")
        .bind("id", executionId)
        .map((rs, ctx) -> new Progress(rs.getLong("execution_id"), rs.getString("agent"),
            Columns.longValue(rs, "thread_id"), rs.getInt("turns"), rs.getInt("calls")))
        .findOne());
  }

  /** What the model said last in an agent step (its thinking, else its text), for an approver to read. */
  public Optional<String> lastThinking(long executionId, int stepNumber) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT COALESCE(NULLIF(thinking, ''), text) FROM agent_turns
            WHERE execution_id = :id AND step_number = :step AND COALESCE(NULLIF(thinking, ''), text) IS NOT NULL
            ORDER BY turn DESC LIMIT 1""")
        .bind("id", executionId).bind("step", stepNumber).mapTo(String.class).findOne()
        .filter(text -> !text.isBlank()));
  }

  /** The final answer of the run of a step: the text of its last turn, once it asked for no more tools. */
  public Optional<String> reply(long executionId, int stepNumber) {
    return db.reads().withHandle(h -> h.createQuery("""
            SELECT t.text FROM agent_turns t WHERE t.execution_id = :id AND t.step_number = :step
              AND NOT EXISTS (SELECT 1 FROM agent_tool_calls c
                WHERE c.execution_id = t.execution_id AND c.step_number = t.step_number AND c.turn = t.turn)
            ORDER BY t.turn DESC LIMIT 1""")
        .bind("id", executionId).bind("step", stepNumber).mapTo(String.class).findOne());
  }

  /** The executions of the agent runs that answered in a thread. */
  public java.util.Set<Long> runsOfThread(long threadId) {
    return db.reads().withHandle(h -> java.util.Set.copyOf(h.createQuery(
            "SELECT execution_id FROM agent_runs WHERE thread_id = :thread")
        .bind("thread", threadId).mapTo(Long.class).list()));
  }

  /** A model turn as checkpointed. */
  public record Turn(int turn, String text, String thinking) {}

  /** Records that an execution's step is an agent run answering in a thread; in the caller's transaction. */
  public static void create(Handle h, long executionId, int stepNumber, String agent, Long threadId, Instant now) {
    h.createUpdate("""
            INSERT INTO agent_runs (execution_id, step_number, agent, thread_id, started, ended, created_at)
            VALUES (:id, :step, :agent, :thread, FALSE, FALSE, :now)""")
        .bind("id", executionId).bind("step", stepNumber).bind("agent", agent).bind("thread", threadId)
        .bind("now", now.toEpochMilli()).execute();
  }

  /** The run of an execution's step, recorded now if it is a plan's agent step seen for the first time. */
  AgentRun open(Handle h, long executionId, int stepNumber, String agent, Instant now) {
    h.createUpdate("""
            INSERT INTO agent_runs (execution_id, step_number, agent, thread_id, started, ended, created_at)
            VALUES (:id, :step, :agent, NULL, FALSE, FALSE, :now) ON CONFLICT DO NOTHING""")
        .bind("id", executionId).bind("step", stepNumber).bind("agent", agent).bind("now", now.toEpochMilli()).execute();
    return find(h, executionId, stepNumber).orElseThrow();
  }

  static Optional<AgentRun> find(Handle h, long executionId, int stepNumber) {
    return h.createQuery("SELECT execution_id, step_number, agent, thread_id, started, ended FROM agent_runs "
            + "WHERE execution_id = :id AND step_number = :step")
        .bind("id", executionId).bind("step", stepNumber).map(AgentRuns::run).findOne();
  }

  /** The runs of an execution that have not sent their closing event. */
  static List<AgentRun> open(Handle h, long executionId) {
    return h.createQuery("SELECT execution_id, step_number, agent, thread_id, started, ended FROM agent_runs "
            + "WHERE execution_id = :id AND ended = FALSE ORDER BY step_number")
        .bind("id", executionId).map(AgentRuns::run).list();
  }

  /** Whether this call marked the run started (it was not). */
  static boolean markStarted(Handle h, AgentRun run) {
    return h.createUpdate("UPDATE agent_runs SET started = TRUE WHERE execution_id = :id AND step_number = :step "
            + "AND started = FALSE").bind("id", run.executionId()).bind("step", run.stepNumber()).execute() == 1;
  }

  /** Whether this call ended the run (it had not ended): exactly one closing event per run. */
  static boolean markEnded(Handle h, AgentRun run) {
    return h.createUpdate("UPDATE agent_runs SET ended = TRUE WHERE execution_id = :id AND step_number = :step "
            + "AND ended = FALSE").bind("id", run.executionId()).bind("step", run.stepNumber()).execute() == 1;
  }

  /** Whether someone asked for the execution to be cancelled (not a lost lease or a shutdown). */
  boolean cancelRequested(long executionId) {
    return db.reads().withHandle(h -> h.createQuery("SELECT cancel_requested FROM executions WHERE id = :id")
        .bind("id", executionId).mapTo(Boolean.class).findOne().orElse(false));
  }

  List<Turn> turns(AgentRun run) {
    return db.reads().withHandle(h -> h.createQuery("SELECT turn, text, thinking FROM agent_turns "
            + "WHERE execution_id = :id AND step_number = :step ORDER BY turn")
        .bind("id", run.executionId()).bind("step", run.stepNumber())
        .map((rs, ctx) -> new Turn(rs.getInt("turn"), rs.getString("text"), rs.getString("thinking"))).list());
  }

  List<ToolCall> calls(AgentRun run) {
    return db.reads().withHandle(h -> h.createQuery(CALL + " WHERE execution_id = :id AND step_number = :step "
            + "ORDER BY turn, position")
        .bind("id", run.executionId()).bind("step", run.stepNumber()).map(AgentRuns::call).list());
  }

  /** Checkpoints one model turn and the calls it asks for, all {@code proposed}. */
  static void recordTurn(Handle h, AgentRun run, Turn turn, List<ToolCall> calls, Instant now) {
    h.createUpdate("""
            INSERT INTO agent_turns (execution_id, step_number, turn, text, thinking, created_at)
            VALUES (:id, :step, :turn, :text, :thinking, :now)""")
        .bind("id", run.executionId()).bind("step", run.stepNumber()).bind("turn", turn.turn())
        .bind("text", turn.text()).bind("thinking", turn.thinking()).bind("now", now.toEpochMilli()).execute();
    for (ToolCall call : calls) {
      h.createUpdate("""
              INSERT INTO agent_tool_calls (execution_id, step_number, turn, position, call_id, tool, arguments, status)
              VALUES (:id, :step, :turn, :position, :call, :tool, :arguments, 'proposed')""")
          .bind("id", run.executionId()).bind("step", run.stepNumber()).bind("turn", call.turn())
          .bind("position", call.position()).bind("call", call.callId()).bind("tool", call.tool())
          .bind("arguments", new String(Json.write(call.arguments()), StandardCharsets.UTF_8)).execute();
    }
  }

  /** from → to for one call, with its result when it is settled; false when it was no longer {@code from}. */
  static boolean move(Handle h, AgentRun run, ToolCall call, ToolCall.Status from, ToolCall.Status to, String output,
      Integer exitCode, Instant now) {
    return h.createUpdate("""
            UPDATE agent_tool_calls SET status = :to, output = COALESCE(:output, output), exit_code = :exit,
              started_at = CASE WHEN :to = 'running' THEN :now ELSE started_at END,
              finished_at = CASE WHEN :settled THEN :now ELSE finished_at END
            WHERE execution_id = :id AND step_number = :step AND turn = :turn AND position = :position AND status = :from""")
        .bind("to", to.wireName()).bind("output", output).bind("exit", exitCode).bind("now", now.toEpochMilli())
        .bind("settled", to.settled()).bind("id", run.executionId()).bind("step", run.stepNumber())
        .bind("turn", call.turn()).bind("position", call.position()).bind("from", from.wireName()).execute() == 1;
  }

  /**
   * The call an agent step waiting for a decision waits on: its run's first call not yet settled,
   * while nobody has decided on it. A run settles its calls in order and parks on the first that
   * needs a decision, so this is the call its {@code approval.requested} named.
   */
  static Optional<ToolCall> waiting(Handle h, long executionId, int stepNumber) {
    return h.createQuery(CALL + " WHERE execution_id = :id AND step_number = :step "
            + "AND status IN ('proposed', 'approved', 'running') ORDER BY turn, position LIMIT 1")
        .bind("id", executionId).bind("step", stepNumber).map(AgentRuns::call).findOne()
        .filter(call -> call.status() == ToolCall.Status.PROPOSED);
  }

  /**
   * Records a person's decision on the waiting call; a refusal settles it with what the model is
   * told. Returns the call as it now is, or {@code null} when it was no longer waiting.
   */
  static ToolCall decide(Handle h, long executionId, int stepNumber, ToolCall call, boolean approve, String by,
      String comment, Instant now) {
    String told = approve ? null : "The call was refused by " + by
        + (comment == null || comment.isBlank() ? "." : ": " + comment);
    ToolCall.Status to = approve ? ToolCall.Status.APPROVED : ToolCall.Status.REJECTED;
    boolean moved = h.createUpdate("""
            UPDATE agent_tool_calls SET status = :to, decided_by = :by, decision_comment = :comment,
              output = :output, finished_at = :finished
            WHERE execution_id = :id AND step_number = :step AND turn = :turn AND position = :position
              AND status = 'proposed'""")
        .bind("to", to.wireName()).bind("by", by)
        .bind("comment", comment).bind("output", told).bind("finished", approve ? null : now.toEpochMilli())
        .bind("id", executionId).bind("step", stepNumber).bind("turn", call.turn()).bind("position", call.position())
        .execute() == 1;
    return moved ? new ToolCall(call.turn(), call.position(), call.callId(), call.tool(), call.arguments(), to, by, comment,
        told, null) : null;
  }

  private static AgentRun run(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AgentRun(rs.getLong("execution_id"), rs.getInt("step_number"), rs.getString("agent"),
        Columns.longValue(rs, "thread_id"), Boolean.TRUE.equals(Columns.bool(rs, "started")),
        Boolean.TRUE.equals(Columns.bool(rs, "ended")));
  }

  private static ToolCall call(ResultSet rs, StatementContext ctx) throws SQLException {
    Map<String, Object> arguments;
    try {
      arguments = Json.mapper().readValue(rs.getString("arguments"), new TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw new SQLException("agent_tool_calls.arguments is not a JSON object", e);
    }
    return new ToolCall(rs.getInt("turn"), rs.getInt("position"), rs.getString("call_id"), rs.getString("tool"),
        arguments, ToolCall.Status.fromWireName(rs.getString("status")), rs.getString("decided_by"),
        rs.getString("decision_comment"), rs.getString("output"), Columns.integer(rs, "exit_code"));
  }
}
