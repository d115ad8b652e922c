package dev.stepwise.agents.models;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.stepwise.agents.AgentDefinition;
import dev.stepwise.app.Config;
import dev.stepwise.web.ErrorText;
import java.time.Duration;

/**
 * Builds the model client of an agent from its definition. Keys come from the environment variable
 * the definition names ({@code api_key_env}); the built-in agent uses the server's
 * {@code model.api_key}. A key is never logged or shown.
 */
public final class ModelClients {
  private static final String OLLAMA_DEFAULT = "http://127.0.0.1:11434";

  private final Config.Model serverModel;

  public ModelClients(Config.Model serverModel) {
    this.serverModel = serverModel;
  }

  /** @throws ModelClient.ModelFailure when the definition cannot make a client (a key is missing, say) */
  public ModelClient forAgent(AgentDefinition agent) {
    AgentDefinition.ModelSpec spec = agent.model();
    String label = spec.provider() + (spec.name() == null ? "" : ":" + spec.name());
    Duration timeout = serverModel.timeout();
    String key = key(agent);
    return switch (spec.provider()) {
      case "scripted" -> new BlockingModelClient(new ScriptedChatModel(spec.script()), "scripted");
      case "openai" -> new StreamingModelClient(OpenAiStreamingChatModel.builder()
          .baseUrl(spec.baseUrl() == null ? "https://api.openai.com/v1" : spec.baseUrl())
          .apiKey(key == null ? "none" : key).modelName(spec.name()).timeout(timeout).returnThinking(true).build(), label);
      case "ollama" -> new StreamingModelClient(OllamaStreamingChatModel.builder()
          .baseUrl(spec.baseUrl() == null ? OLLAMA_DEFAULT : spec.baseUrl()).modelName(spec.name()).timeout(timeout)
          .returnThinking(true).build(), label);
      case "anthropic" -> {
        if (key == null) {
          throw new ModelClient.ModelFailure("the anthropic model of agent '" + agent.name() + "' needs a key: set "
              + (spec.apiKeyEnv() == null ? "api_key_env in its definition" : "the environment variable " + spec.apiKeyEnv()));
        }
        var builder = AnthropicStreamingChatModel.builder().apiKey(key).modelName(spec.name()).maxTokens(4096)
            .timeout(timeout);
        if (spec.baseUrl() != null) builder.baseUrl(spec.baseUrl());
        yield new StreamingModelClient(builder.build(), label);
      }
      default -> throw new ModelClient.ModelFailure("agent '" + agent.name() + "' names an unknown provider '"
          + spec.provider() + "'");
    };
  }

  private String key(AgentDefinition agent) {
    String variable = agent.model().apiKeyEnv();
    if (variable != null) {
      String value = System.getenv(variable);
      return value == null || value.isBlank() ? null : value;
    }
    // only the built-in agent talks to the server's own model, so only it gets the server's key
    return "built-in".equals(agent.source()) ? serverModel.apiKey() : null;
  }

  /** An error's message for people: one line, no class names. */
  static String describe(Throwable error) {
    return ErrorText.describe(error);
  }
}
