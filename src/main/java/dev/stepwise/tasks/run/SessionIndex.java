package dev.stepwise.tasks.run;

import dev.stepwise.tasks.sessions.Session;
import dev.stepwise.tasks.sessions.Sessions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Which execution runs which task session, remembered per node so that the engine's hot events
 * (every step of every execution) cost a map lookup, not a query. Safe to remember, answers
 * "none" included: a session is stored in the transaction that queues its execution, before any of
 * the execution's events can be seen, and never moves to another execution. Only the session's ids
 * are read from what it remembers. Thread-safe.
 */
final class SessionIndex {
  private static final int MAX_ENTRIES = 10_000;

  private final Map<Long, Optional<Session>> byExecution = new ConcurrentHashMap<>();

  Optional<Session> ofExecution(Handle h, Object executionId) {
    if (!(executionId instanceof Number number)) return Optional.empty();
    long id = number.longValue();
    Optional<Session> known = byExecution.get(id);
    if (known != null) return known;
    Optional<Session> found = Sessions.ofExecution(h, id);
    if (byExecution.size() >= MAX_ENTRIES) byExecution.clear();
    byExecution.put(id, found);
    return found;
  }
}
