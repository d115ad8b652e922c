package dev.stepwise.agents.runtime;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.stepwise.chat.Message;
import dev.stepwise.web.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds what the model sees from the checkpoint: the system prompt, the thread's earlier
 * messages, the prompt, then each recorded turn with the results of its settled calls. Rebuilt the
 * same way after a restart, so a resumed run asks the model exactly what it would have.
 */
final class Conversation {
  private Conversation() {}

  static List<ChatMessage> of(String systemPrompt, List<Message> history, String prompt, List<AgentRuns.Turn> turns,
      List<ToolCall> calls) {
    List<ChatMessage> messages = new ArrayList<>();
    if (systemPrompt != null && !systemPrompt.isBlank()) messages.add(SystemMessage.from(systemPrompt));
    for (Message message : history) {
      if (message.role().equals("user")) messages.add(UserMessage.from(message.content()));
      else if (message.role().equals("assistant")) messages.add(AiMessage.from(message.content()));
    }
    messages.add(UserMessage.from(prompt));
    for (AgentRuns.Turn turn : turns) {
      List<ToolCall> asked = calls.stream().filter(c -> c.turn() == turn.turn()).toList();
      var answer = AiMessage.builder().text(turn.text());
      if (!asked.isEmpty()) {
        answer.toolExecutionRequests(asked.stream().map(c -> ToolExecutionRequest.builder().id(c.callId())
            .name(c.tool()).arguments(new String(Json.write(c.arguments()), StandardCharsets.UTF_8)).build()).toList());
      }
      messages.add(answer.build());
      for (ToolCall call : asked) {
        if (call.status().settled()) messages.add(ToolExecutionResultMessage.from(call.callId(), call.tool(), told(call)));
      }
    }
    return messages;
  }

  /** What the model is told a call gave. */
  static String told(ToolCall call) {
    String output = call.output() == null ? "" : call.output();
    return switch (call.status()) {
      case COMPLETED -> call.exitCode() == null ? output : "exit code " + call.exitCode() + "\n" + output;
      case REJECTED, REFUSED, INTERRUPTED -> output;
      default -> throw new IllegalStateException("call " + call.callId() + " is not settled");
    };
  }
}
