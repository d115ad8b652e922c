package dev.stepwise.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.web.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The messages a WebSocket client sends (API.md §8), read and checked: a malformed one is an
 * {@link ApiError} naming its fields, which the socket answers with an {@code error} message.
 * Thread-safe (stateless).
 */
final class ClientMessages {
  static final int MAX_TOPICS = 100;

  private ClientMessages() {}

  /** {@code subscribe}: topics, and the event id to replay after ({@code -1} for none). */
  record Subscribe(List<String> topics, long since) {}

  /** {@code approve}: a decision on a waiting step, optionally bound to one tool call. */
  record Approve(long executionId, int stepNumber, boolean approve, String comment, String callKey) {}

  /** {@code start_agent}: a message for an agent, in a thread or a new one. */
  record StartAgent(String agent, Long threadId, String message) {}

  static Subscribe subscribe(JsonNode message) {
    List<String> topics = topics(message);
    JsonNode since = message.path("since");
    boolean given = !since.isMissingNode() && !since.isNull();
    if (given && (!since.isIntegralNumber() || since.asLong() < 0)) {
      throw ApiError.validation("since", "must be an event id (a whole number of 0 or more)");
    }
    return new Subscribe(topics, given ? since.asLong() : -1);
  }

  static Approve approve(JsonNode message) {
    JsonNode execution = message.path("execution_id");
    JsonNode step = message.path("step_number");
    JsonNode approve = message.path("approve");
    JsonNode comment = message.path("comment");
    JsonNode callKey = message.path("call_key");
    var problems = new LinkedHashMap<String, String>();
    if (!execution.isIntegralNumber() || execution.asLong() < 1) problems.put("execution_id", "must be an execution id");
    if (!step.isIntegralNumber() || step.asLong() < 1 || step.asLong() > Integer.MAX_VALUE) {
      problems.put("step_number", "must be a step number");
    }
    if (!approve.isBoolean()) problems.put("approve", "must be true or false");
    if (!absentOrText(comment)) problems.put("comment", "must be text");
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    if (!absentOrText(callKey)) throw ApiError.validation("call_key", "must be the call_key of the approval request");
    return new Approve(execution.asLong(), step.asInt(), approve.asBoolean(), comment.isTextual() ? comment.asText() : null,
        callKey.isTextual() ? callKey.asText() : null);
  }

  static StartAgent startAgent(JsonNode message) {
    JsonNode agent = message.path("agent");
    JsonNode thread = message.path("thread_id");
    JsonNode text = message.path("message");
    var problems = new LinkedHashMap<String, String>();
    if (!absentOrText(agent)) problems.put("agent", "must be an agent name");
    if (!thread.isMissingNode() && !thread.isNull() && (!thread.isIntegralNumber() || thread.asLong() < 1)) {
      problems.put("thread_id", "must be a thread id");
    }
    if (!text.isTextual()) problems.put("message", "is required: the text to send");
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return new StartAgent(agent.isTextual() ? agent.asText() : null, thread.isIntegralNumber() ? thread.asLong() : null,
        text.asText());
  }

  static List<String> topics(JsonNode message) {
    JsonNode node = message.path("topics");
    if (!node.isArray() || node.isEmpty()) throw ApiError.validation("topics", "must be a list of topics");
    List<String> values = new ArrayList<>();
    for (JsonNode value : node) {
      if (!value.isTextual() || value.asText().isBlank()) throw ApiError.validation("topics", "must be a list of topics");
      values.add(value.asText().trim());
    }
    if (values.size() > MAX_TOPICS) throw ApiError.validation("topics", "must have at most " + MAX_TOPICS + " entries");
    return values;
  }

  private static boolean absentOrText(JsonNode node) {
    return node.isMissingNode() || node.isNull() || node.isTextual();
  }
}
