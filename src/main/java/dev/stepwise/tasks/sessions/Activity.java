package dev.stepwise.tasks.sessions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of a session's activity, numbered from 1 in the order it happened.
 *
 * @param tool the tool of a tool call or result, else {@code null}
 * @param data what else the entry carries (a call's arguments, an exit code, a phase), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Activity(long seq, Instant at, ActivityKind kind, String text, String tool, Map<String, Object> data) {}
