package dev.stepwise.agents.models;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.stepwise.runners.CancelSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A LangChain4j streaming chat model (OpenAI-compatible, Ollama, Anthropic). Thread-safe. */
final class StreamingModelClient implements ModelClient {
  private final StreamingChatModel model;
  private final String label;

  StreamingModelClient(StreamingChatModel model, String label) {
    this.model = model;
    this.label = label;
  }

  @Override
  public AiMessage next(List<ChatMessage> conversation, List<ToolSpecification> tools, Consumer<String> delta,
      Duration timeout, CancelSignal cancel) throws InterruptedException {
    var answer = new CompletableFuture<ChatResponse>();
    Runnable stop = () -> answer.cancel(false);
    cancel.onCancel(stop);
    try {
      var request = ChatRequest.builder().messages(conversation);
      if (!tools.isEmpty()) request.toolSpecifications(tools);
      model.chat(request.build(), new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String text) {
          if (!answer.isDone() && text != null && !text.isEmpty()) delta.accept(text);
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
          if (!answer.isDone() && thinking.text() != null && !thinking.text().isEmpty()) delta.accept(thinking.text());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
          answer.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          answer.completeExceptionally(error);
        }
      });
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).aiMessage();
    } catch (TimeoutException e) {
      throw new ModelFailure("the model " + label + " gave no answer within " + dev.stepwise.plans.Durations.format(timeout));
    } catch (java.util.concurrent.CancellationException e) {
      throw new ModelFailure("cancelled while the model " + label + " was answering");
    } catch (ExecutionException e) {
      throw new ModelFailure("the model " + label + " failed: " + ModelClients.describe(e.getCause()));
    } finally {
      cancel.remove(stop);
    }
  }

  @Override
  public boolean streams() {
    return true;
  }

  @Override
  public String label() {
    return label;
  }
}
