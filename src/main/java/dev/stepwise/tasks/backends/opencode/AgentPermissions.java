package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.IllegalTransition;
import dev.stepwise.executions.ParkedCalls;
import dev.stepwise.store.Database;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What OpenCode asked a person for: a permission request ({@code per_…}: the edit it wants to
 * write, the command it wants to run) parks the phase's step as an approval of that exact call. The
 * decision is recorded on the request in the deciding transaction; the step, running again, sends
 * it back to OpenCode and marks it sent. Thread-safe.
 */
public final class AgentPermissions implements ParkedCalls {
  private static final TypeReference<Map<String, Object>> ARGUMENTS = new TypeReference<>() {};

  private final Database db;

  public AgentPermissions(Database db) {
    this.db = db;
  }

  /** A request and where it stands: {@code waiting}, {@code approved}, {@code rejected}, or {@code sent} once answered. */
  record Request(long sessionId, String permissionId, String tool, Map<String, Object> arguments, String status,
      String decidedBy, String comment) {
    boolean approved() {
      return status.equals("approved");
    }
  }

  /** Parks step {@code stepNumber} on a request, unless it is already stored. */
  static void ask(Handle h, long sessionId, String permissionId, long executionId, int stepNumber, String tool,
      Map<String, Object> arguments, Instant now) {
    h.createUpdate("""
            INSERT INTO agent_permissions (session_id, permission_id, execution_id, step_number, tool, arguments, status,
              asked_at)
            VALUES (:session, :permission, :execution, :step, :tool, :arguments, 'waiting', :now)
            ON CONFLICT (session_id, permission_id) DO NOTHING""")
        .bind("session", sessionId).bind("permission", permissionId).bind("execution", executionId)
        .bind("step", stepNumber).bind("tool", tool)
        .bind("arguments", new String(Json.write(arguments), StandardCharsets.UTF_8)).bind("now", now.toEpochMilli())
        .execute();
  }

  /** Decided requests of a step that have not gone back to OpenCode yet. */
  List<Request> decided(long executionId, int stepNumber) {
    return db.reads().withHandle(h -> select(h, "execution_id = :execution AND step_number = :step "
        + "AND status IN ('approved', 'rejected')").bind("execution", executionId).bind("step", stepNumber)
        .map((rs, ctx) -> map(rs)).list());
  }

  /** Whether OpenCode has been told already (a request it asks again after a restart is not asked twice). */
  Optional<Request> find(long sessionId, String permissionId) {
    return db.reads().withHandle(h -> select(h, "session_id = :session AND permission_id = :permission")
        .bind("session", sessionId).bind("permission", permissionId).map((rs, ctx) -> map(rs)).findOne());
  }

  /** Marks a decision as sent to OpenCode. */
  static void sent(Handle h, long sessionId, String permissionId) {
    h.createUpdate("UPDATE agent_permissions SET status = 'sent' WHERE session_id = :session AND permission_id = :permission")
        .bind("session", sessionId).bind("permission", permissionId).execute();
  }

  @Override
  public Optional<WaitingCall> waiting(Handle h, long executionId, int stepNumber) {
    return waitingOn(h, executionId, stepNumber).map(r -> new WaitingCall(r.permissionId(), r.tool(), r.arguments()));
  }

  @Override
  public boolean decide(EventLog.Tx tx, long executionId, int stepNumber, boolean approve, String by, String comment,
      String expectedCall) {
    Optional<Request> waiting = waitingOn(tx.handle(), executionId, stepNumber);
    if (waiting.isEmpty()) return false;
    Request request = waiting.get();
    if (expectedCall != null && !expectedCall.equals(request.permissionId())) {
      throw new IllegalTransition("the decision was for " + expectedCall + ", but step " + stepNumber + " of execution "
          + executionId + " now waits on " + request.permissionId() + " (" + request.tool() + ")");
    }
    int changed = tx.handle().createUpdate("""
            UPDATE agent_permissions SET status = :status, decided_by = :by, comment = :comment, decided_at = :now
            WHERE session_id = :session AND permission_id = :permission AND status = 'waiting'""")
        .bind("status", approve ? "approved" : "rejected").bind("by", by).bind("comment", comment)
        .bind("now", tx.now().toEpochMilli()).bind("session", request.sessionId())
        .bind("permission", request.permissionId()).execute();
    if (changed != 1) throw new IllegalTransition(request.permissionId() + " is no longer waiting for a decision");
    return true;
  }

  private static Optional<Request> waitingOn(Handle h, long executionId, int stepNumber) {
    return select(h, "execution_id = :execution AND step_number = :step AND status = 'waiting' ORDER BY asked_at LIMIT 1")
        .bind("execution", executionId).bind("step", stepNumber).map((rs, ctx) -> map(rs)).findOne();
  }

  private static org.jdbi.v3.core.statement.Query select(Handle h, String where) {
    return h.createQuery("SELECT session_id, permission_id, tool, arguments, status, decided_by, comment "
        + "FROM agent_permissions WHERE " + where);
  }

  private static Request map(java.sql.ResultSet rs) throws java.sql.SQLException {
    Map<String, Object> arguments;
    try {
      arguments = Json.mapper().readValue(rs.getString("arguments"), ARGUMENTS);
    } catch (IOException e) {
      throw new java.sql.SQLException("stored permission arguments are not JSON", e);
    }
    return new Request(rs.getLong("session_id"), rs.getString("permission_id"), rs.getString("tool"), arguments,
        rs.getString("status"), rs.getString("decided_by"), rs.getString("comment"));
  }
}
