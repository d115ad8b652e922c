package dev.stepwise.testcases.generation;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.stepwise.app.Config;

/** Chooses the generator for the configuration: the model's when one is set, the analyser otherwise. */
public final class TestGenerators {
  static final String OPENAI_URL = "https://api.openai.com/v1";

  private TestGenerators() {}

  public static TestGenerator forConfig(Config.Model model) {
    var analyser = new AnalyserGenerator();
    if (!model.configured()) return analyser;
    String baseUrl = model.baseUrl() != null ? model.baseUrl() : OPENAI_URL;
    var chat = OpenAiChatModel.builder()
        .baseUrl(baseUrl)
        // OpenAI-compatible local servers need no key, but the client insists on one
        .apiKey(model.apiKey() != null ? model.apiKey() : "none")
        .modelName(model.name())
        .timeout(model.timeout())
        .maxRetries(0)
        .temperature(0.2)
        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
        .strictJsonSchema(true)
        .build();
    return new LlmGenerator(chat, model.name(), baseUrl, analyser);
  }
}
