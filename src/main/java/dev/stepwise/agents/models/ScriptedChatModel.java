package dev.stepwise.agents.models;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.stepwise.agents.AgentDefinition;
import java.util.List;

/**
 * The {@code scripted} provider: instead of calling a model, it answers with the next turn of an
 * agent's script — its thinking, then a tool call or the final reply. Which turn comes next is
 * read from the conversation itself (one turn per assistant message since the user's latest
 * message), so the model keeps no state: a run resumed after a restart continues where its
 * history ends. Thread-safe.
 */
public final class ScriptedChatModel implements ChatModel {
  private final List<AgentDefinition.ScriptedTurn> script;

  public ScriptedChatModel(List<AgentDefinition.ScriptedTurn> script) {
    if (script.isEmpty()) throw new IllegalArgumentException("a scripted model needs at least one turn");
    this.script = List.copyOf(script);
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    // the turns of this run: the model's answers since the user's latest message
    int lastUser = 0;
    for (int i = 0; i < request.messages().size(); i++) {
      if (request.messages().get(i) instanceof dev.langchain4j.data.message.UserMessage) lastUser = i;
    }
    int turn = (int) request.messages().subList(lastUser, request.messages().size()).stream()
        .filter(m -> m instanceof AiMessage).count();
    if (turn >= script.size()) {
      return respond(AiMessage.from("The script has no turn " + (turn + 1) + "; it ended after " + script.size() + "."),
          FinishReason.STOP);
    }
    AgentDefinition.ScriptedTurn next = script.get(turn);
    if (next.tool() != null) {
      var call = ToolExecutionRequest.builder().id("call-" + (turn + 1)).name(next.tool())
          .arguments(next.arguments() == null ? "{}" : next.arguments().toString()).build();
      return respond(AiMessage.builder().text(next.thinking()).toolExecutionRequests(List.of(call)).build(),
          FinishReason.TOOL_EXECUTION);
    }
    return respond(AiMessage.builder().thinking(next.thinking()).text(next.reply()).build(), FinishReason.STOP);
  }

  private static ChatResponse respond(AiMessage message, FinishReason reason) {
    return ChatResponse.builder().aiMessage(message).finishReason(reason).modelName("scripted").build();
  }
}
