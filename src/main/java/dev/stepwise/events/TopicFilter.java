package dev.stepwise.events;

import dev.stepwise.web.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events a subscriber wants (API.md §8). Exact topics ({@code execution:7}) match events of
 * that topic; {@code executions} matches every execution's lifecycle events, {@code approvals}
 * every approval event and {@code tasks} every task's status changes. No topics means all events.
 * Immutable and thread-safe.
 */
public final class TopicFilter {
  private static final Pattern EXACT = Pattern.compile("(execution|task|session|thread):[1-9][0-9]{0,18}");
  private static final Set<String> GROUPS = Set.of("executions", "approvals", "tasks");

  private static final TopicFilter NONE = new TopicFilter(Set.of(), Set.of(), false, true);

  private final Set<String> exact;
  private final Set<String> groups;
  private final boolean withoutThreads;
  private final boolean nothing;

  private TopicFilter(Set<String> exact, Set<String> groups, boolean withoutThreads, boolean nothing) {
    this.exact = Set.copyOf(exact);
    this.groups = Set.copyOf(groups);
    this.withoutThreads = withoutThreads;
    this.nothing = nothing;
  }

  private TopicFilter(Set<String> exact, Set<String> groups) {
    this(exact, groups, false, false);
  }

  /** No event at all: a subscriber that follows no topic yet. */
  public static TopicFilter none() {
    return NONE;
  }

  public static TopicFilter all() {
    return new TopicFilter(Set.of(), Set.of());
  }

  /**
   * Every event except conversations': what a client that names no topics gets. A thread's events
   * (prompts, replies, tool output) reach only those who name the thread and own it.
   */
  public static TopicFilter allButThreads() {
    return new TopicFilter(Set.of(), Set.of(), true, false);
  }

  /** The ids of the {@code thread:<id>} topics named, for checking that the caller owns them. */
  public List<Long> threadIds() {
    return exact.stream().filter(t -> t.startsWith("thread:")).map(t -> Long.parseLong(t.substring(7))).toList();
  }

  public static TopicFilter of(String... topics) {
    return parse(List.of(topics));
  }

  /** Parses topics, answering 422 for any it does not know. */
  public static TopicFilter parse(List<String> topics) {
    var exact = new LinkedHashSet<String>();
    var groups = new LinkedHashSet<String>();
    for (String raw : topics) {
      String topic = raw.trim();
      if (topic.isEmpty()) continue;
      if (GROUPS.contains(topic)) groups.add(topic);
      else if (EXACT.matcher(topic).matches()) exact.add(topic);
      else throw ApiError.validation("topics", "unknown topic '" + topic + "'; use executions, approvals, tasks, "
          + "execution:<id>, task:<id>, session:<id> or thread:<id>");
    }
    return new TopicFilter(exact, groups);
  }

  /** Parses the {@code topics=a,b} query parameter; absent means all. */
  public static TopicFilter fromQuery(String value) {
    return value == null || value.isBlank() ? allButThreads() : parse(List.of(value.split(",")));
  }

  public boolean isAll() {
    return !nothing && exact.isEmpty() && groups.isEmpty();
  }

  public boolean matches(Event event) {
    if (nothing) return false;
    if (isAll()) return !withoutThreads || !event.topic().startsWith("thread:");
    if (exact.contains(event.topic())) return true;
    if (groups.contains("executions") && event.topic().startsWith("execution:") && event.type().startsWith("execution.")) {
      return true;
    }
    if (groups.contains("approvals") && event.type().startsWith("approval.")) return true;
    return groups.contains("tasks") && event.topic().startsWith("task:") && event.type().startsWith("task.");
  }

  /** The same condition as SQL over the {@code events} table, with its parameters in order. */
  public Sql sql() {
    if (nothing) return new Sql("FALSE", List.of());
    if (isAll()) return new Sql(withoutThreads ? "topic NOT LIKE 'thread:%'" : "TRUE", List.of());
    List<String> parts = new ArrayList<>();
    List<String> parameters = new ArrayList<>();
    if (!exact.isEmpty()) {
      parts.add("topic IN (" + String.join(", ", exact.stream().map(t -> "?").toList()) + ")");
      parameters.addAll(exact);
    }
    if (groups.contains("executions")) parts.add("(topic LIKE 'execution:%' AND type LIKE 'execution.%')");
    if (groups.contains("approvals")) parts.add("type LIKE 'approval.%'");
    if (groups.contains("tasks")) parts.add("(topic LIKE 'task:%' AND type LIKE 'task.%')");
    return new Sql("(" + String.join(" OR ", parts) + ")", parameters);
  }

  /** A SQL condition and its positional parameters. */
  public record Sql(String condition, List<String> parameters) {}

  @Override
  public String toString() {
    if (nothing) return "";
    return isAll() ? "*" : String.join(",", exact) + (groups.isEmpty() ? "" : "," + String.join(",", groups));
  }
}
