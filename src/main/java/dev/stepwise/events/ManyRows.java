package dev.stepwise.events;

import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL form of a deferred one-row compare-and-set ({@link EventLog.Tx#defer}) for every
 * work of a group at once: one statement over arrays, an element per work, that returns the key of
 * each row it changed, so that a work whose row did not match still fails alone. PostgreSQL then
 * executes one statement per group instead of one per work.
 *
 * @param sql its text: the one-row text's {@code :name} parameters, each an array
 * @param types the SQL type of each parameter's elements ({@code bigint}, {@code text} …)
 * @param key the parameters that find a work's row, which the statement returns, in this order
 */
public record ManyRows(String sql, Map<String, String> types, List<String> key) {}
