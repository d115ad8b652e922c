package dev.stepwise.chat;

import dev.stepwise.agents.AgentDefinition;
import dev.stepwise.agents.AgentPlans;
import dev.stepwise.agents.Agents;
import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.auth.Caller;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;

/**
 * Sending a message: the user's message, the agent run that answers it (an execution of kind
 * {@code chat}) and, when none is given, a new thread are written in one transaction; the
 * dispatcher is woken at commit. Shared by the HTTP route and the WebSocket. Thread-safe.
 */
public final class ChatService {
  static final int MAX_MESSAGE_CHARS = 32_000;

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
    agents.require(agentName);
    return threads.create(caller.userId(), title, agentName);
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
        .matches("agent", agent, Agents.NAME, Agents.NAME_RULE)
        .orThrow();
    if (content.isBlank()) throw ApiError.validation("message", "must not be blank");
    ChatThread thread = threadId == null ? null : threads.find(caller.userId(), threadId)
        .orElseThrow(() -> ApiError.notFound("you have no thread with id " + threadId));
    String agentName = agent != null ? agent : thread != null ? thread.agent() : "default";
    AgentDefinition definition = agents.require(agentName);
    PlanParser.Parsed plan = executions.parser().parse(
        AgentPlans.oneStep("chat with " + definition.name(), "chat", definition, content));
    return log.transact(tx -> {
      long threadOf = thread != null ? thread.id()
          : Threads.insert(tx.handle(), caller.userId(), AgentPlans.headline(content, 80), agentName, tx.now());
      long runId = executions.enqueue(tx, caller, plan);
      AgentRuns.create(tx.handle(), runId, 1, agentName, threadOf, tx.now());
      Message message = Threads.append(tx.handle(), threadOf, "user", content, runId, tx.now());
      return new Started(message, runId, threadOf);
    });
  }
}
