package dev.stepwise.agents.models;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.stepwise.runners.CancelSignal;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** One model behind an agent: asked for its next turn, it streams what it says as it goes. */
public interface ModelClient {
  /**
   * The model's next answer to the conversation.
   *
   * @param delta told each piece of output as the model streams it (thinking or text); a model
   *     that does not stream tells nothing
   * @throws ModelFailure when the model cannot answer in time or at all
   */
  AiMessage next(List<ChatMessage> conversation, List<ToolSpecification> tools, Consumer<String> delta,
      Duration timeout, CancelSignal cancel) throws InterruptedException;

  /** Whether output arrives as deltas (otherwise a turn's text is reported whole). */
  boolean streams();

  /** What a run reports as its model, such as {@code openai:qwen2.5-coder:7b}. */
  String label();

  /** The model gave no answer; the message says why, without secrets. */
  final class ModelFailure extends RuntimeException {
    public ModelFailure(String message) {
      super(message);
    }
  }
}
