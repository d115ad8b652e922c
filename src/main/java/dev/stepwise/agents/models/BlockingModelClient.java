package dev.stepwise.agents.models;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.stepwise.runners.CancelSignal;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A chat model that answers a turn whole (the scripted provider). Thread-safe. */
final class BlockingModelClient implements ModelClient {
  private final ChatModel model;
  private final String label;

  BlockingModelClient(ChatModel model, String label) {
    this.model = model;
    this.label = label;
  }

  @Override
  public AiMessage next(List<ChatMessage> conversation, List<ToolSpecification> tools, Consumer<String> delta,
      Duration timeout, CancelSignal cancel) {
    if (cancel.cancelled()) throw new ModelFailure("cancelled before the model " + label + " was asked");
    var request = ChatRequest.builder().messages(conversation);
    if (!tools.isEmpty()) request.toolSpecifications(tools);
    try {
      return model.chat(request.build()).aiMessage();
    } catch (RuntimeException e) {
      throw new ModelFailure("the model " + label + " failed: " + ModelClients.describe(e));
    }
  }

  @Override
  public boolean streams() {
    return false;
  }

  @Override
  public String label() {
    return label;
  }
}
