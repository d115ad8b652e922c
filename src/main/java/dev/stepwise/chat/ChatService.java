package dev.stepwise.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.agents.AgentDefinition;
import dev.stepwise.agents.Agents;
import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.auth.Caller;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.plans.Durations;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import dev.stepwise.web.Validation;
import java.util.regex.Pattern;

/**
 * Sending a message: the user's message, the agent run that answers it (an execution of kind
 * {@code chat}) and, when none is given, a new thread are written in one transaction; the
 * dispatcher is woken at commit. Shared by the HTTP route and the WebSocket. Thread-safe.
 */
public final class ChatService {
  static final int MAX_MESSAGE_CHARS = 32_000;
  static final Pattern AGENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final EventLog log;
  private final Threads threads;
  private final ExecutionService executions;
  private final Agents agents;

  public ChatService(EventLog log, Threads threads, ExecutionService executions, Agents agents) {
    this.log = log;
    this.threads = threads;
    this.executions = executions;
    this.agents = agents;
  }

  /** A new thread with {@code agent} (the default agent when {@code null}); 422 for an agent that does not exist. */
  public ChatThread newThread(Caller caller, String title, String agent) {
    String agentName = agent == null ? "default" : agent;
    agents.named(agentName).orElseThrow(() -> unknownAgent(agentName));
    return threads.create(caller.userId(), title, agentName);
  }

  private static ApiError unknownAgent(String name) {
    return ApiError.validation("agent", "there is no agent named '" + name + "'; see GET /api/v1/agents");
  }

  /** What a sent message started. */
  public record Started(Message message, long runId, long threadId) {}

  /**
   * Stores the message and starts a run of {@code agent} (the thread's agent when {@code null}).
   *
   * @param threadId the caller's thread, or {@code null} for a new one titled after the message
   */
  public Started send(Caller caller, Long threadId, String agent, String content) {
    new Validation().require("message", content).length("message", content, 1, MAX_MESSAGE_CHARS)
        .matches("agent", agent, AGENT, "must be an agent name: lower-case letters, digits, '.', '_' or '-'")
        .orThrow();
    if (content.isBlank()) throw ApiError.validation("message", "must not be blank");
    ChatThread thread = threadId == null ? null : threads.find(caller.userId(), threadId)
        .orElseThrow(() -> ApiError.notFound("you have no thread with id " + threadId));
    String agentName = agent != null ? agent : thread != null ? thread.agent() : "default";
    AgentDefinition definition = agents.named(agentName).orElseThrow(() -> unknownAgent(agentName));
    PlanParser.Parsed plan = executions.parser().parse(plan(definition, content));
    return log.transact(tx -> {
      long threadOf = thread != null ? thread.id()
          : Threads.insert(tx.handle(), caller.userId(), title(content), agentName, tx.now());
      long runId = executions.enqueue(tx, caller, plan);
      AgentRuns.create(tx.handle(), runId, 1, agentName, threadOf, tx.now());
      Message message = Threads.append(tx.handle(), threadOf, "user", content, runId, tx.now());
      return new Started(message, runId, threadOf);
    });
  }

  /** One agent step answering the message, with the agent's time limit. */
  private static ObjectNode plan(AgentDefinition agent, String content) {
    ObjectNode plan = Json.mapper().createObjectNode().put("name", "chat with " + agent.name()).put("kind", "chat");
    plan.putArray("steps").addObject().put("name", agent.name()).put("type", "agent").put("agent", agent.name())
        .put("prompt", content).put("timeout", Durations.format(agent.limits().timeout()));
    return plan;
  }

  private static String title(String content) {
    String line = content.strip().lines().findFirst().orElse("").strip();
    return line.length() <= 80 ? line : line.substring(0, 79) + "…";
  }
}
