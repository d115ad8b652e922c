package dev.stepwise.testcases.generation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.stepwise.web.ErrorText;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a language model for test cases, in a JSON shape it is given as a schema, and checks every
 * case it answers with. When the model cannot be reached or its answer is unusable, the analyser's
 * cases are returned instead, with a warning saying why. Thread-safe.
 */
public final class LlmGenerator implements TestGenerator {
  private static final Logger log = LoggerFactory.getLogger(LlmGenerator.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,119}");
  private static final Set<String> KINDS = Set.of("nominal", "error_path", "null", "empty", "overflow", "boundary",
      "regression", "new");
  private static final int MAX_SOURCE_CHARS = 6000;

  private final ChatModel model;
  private final String name;
  private final String endpoint;
  private final TestGenerator fallback;

  /** @param endpoint where the model is, for warnings (settings refuse a URL with credentials) */
  public LlmGenerator(ChatModel model, String modelName, String endpoint, TestGenerator fallback) {
    this.model = model;
    this.name = "llm:" + modelName;
    this.endpoint = endpoint;
    this.fallback = fallback;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Generation generate(List<Target> targets, int maxTests) {
    String answer;
    try {
      ChatResponse response = model.chat(ChatRequest.builder()
          .messages(SystemMessage.from(SYSTEM), UserMessage.from(prompt(targets, maxTests)))
          .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(SCHEMA).build())
          .build());
      answer = response.aiMessage() == null ? null : response.aiMessage().text();
    } catch (RuntimeException e) {
      log.warn("test generation: the model at {} could not be used: {}", endpoint, firstLine(e));
      return fallBack(targets, maxTests, "the model at " + endpoint + " could not be reached or failed ("
          + firstLine(e) + ")");
    }
    List<String> warnings = new ArrayList<>();
    List<ProposedCase> cases;
    try {
      cases = validated(answer, targets, maxTests, warnings);
    } catch (Unusable e) {
      log.warn("test generation: the model's answer was unusable: {}", e.getMessage());
      return fallBack(targets, maxTests, "the model's answer was unusable (" + e.getMessage() + ")");
    }
    return new Generation(cases, name, warnings);
  }

  private Generation fallBack(List<Target> targets, int maxTests, String reason) {
    Generation analysed = fallback.generate(targets, maxTests);
    List<String> warnings = new ArrayList<>(analysed.warnings());
    warnings.addFirst(reason + "; the cases come from the " + analysed.generator() + " instead");
    return new Generation(analysed.cases(), analysed.generator(), warnings);
  }

  private static List<ProposedCase> validated(String answer, List<Target> targets, int maxTests, List<String> warnings) {
    if (answer == null || answer.isBlank()) throw new Unusable("it was empty");
    JsonNode root;
    try {
      root = Json.mapper().readTree(stripFence(answer));
    } catch (IOException e) {
      throw new Unusable("not JSON: " + firstLine(e));
    }
    JsonNode list = root == null ? null : root.get("test_cases");
    if (list == null || !list.isArray()) throw new Unusable("no test_cases list");
    List<ProposedCase> cases = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int index = 0;
    for (JsonNode item : list) {
      String problem = problem(item, targets);
      if (problem != null) {
        warnings.add("the model's case " + index + " was dropped: " + problem);
      } else if (cases.size() >= maxTests) {
        warnings.add("the model proposed more than max_tests (" + maxTests + ") cases; the rest were dropped");
        break;
      } else {
        String caseName = item.get("name").asText();
        for (int n = 2; names.contains(caseName); n++) caseName = item.get("name").asText() + "_" + n;
        names.add(caseName);
        String kind = item.get("kind").asText().toLowerCase(Locale.ROOT);
        Target target = targetOf(item, targets);
        List<String> tags = new ArrayList<>(List.of("generated", kind));
        if (target.language() != null) tags.add(target.language().name().toLowerCase(Locale.ROOT));
        cases.add(new ProposedCase(caseName, target.functionName(), target.filePath(), kind,
            item.get("description").asText().trim(), item.get("expected").asText().trim(), tags));
      }
      index++;
    }
    if (cases.isEmpty()) throw new Unusable("no usable test case" + (warnings.isEmpty() ? "" : ": " + warnings.getLast()));
    return cases;
  }

  private static String problem(JsonNode item, List<Target> targets) {
    if (!item.isObject()) return "not an object";
    for (String field : List.of("name", "function_name", "kind", "description", "expected")) {
      if (!item.hasNonNull(field) || !item.get(field).isTextual() || item.get(field).asText().isBlank()) {
        return field + " is missing";
      }
    }
    if (!NAME.matcher(item.get("name").asText()).matches()) return "name is not a test name (letters, digits, _)";
    if (!KINDS.contains(item.get("kind").asText().toLowerCase(Locale.ROOT))) return "kind is not one of " + KINDS;
    if (item.get("description").asText().length() > 2000 || item.get("expected").asText().length() > 1000) {
      return "description or expected is too long";
    }
    if (targetOf(item, targets) == null) return "function_name is not one of the functions asked about";
    return null;
  }

  private static Target targetOf(JsonNode item, List<Target> targets) {
    String function = item.get("function_name").asText();
    String file = item.hasNonNull("file_path") ? item.get("file_path").asText() : null;
    return targets.stream().filter(t -> t.functionName().equals(function) && (file == null || t.filePath().equals(file)))
        .findFirst().orElse(null);
  }

  private static String stripFence(String answer) {
    String trimmed = answer.trim();
    if (!trimmed.startsWith("```")) return trimmed;
    return trimmed.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
  }

  private static String prompt(List<Target> targets, int maxTests) {
    StringBuilder out = new StringBuilder("Propose at most " + maxTests + " distinct test cases, spread over these "
        + "functions, most valuable first.\n");
    for (Target target : targets) {
      out.append("\n## ").append(target.functionName()).append(" in ").append(target.filePath()).append('\n');
      if (target.language() != null) out.append("language: ").append(target.language().wireName()).append('\n');
      if (target.signature() != null) out.append("signature: ").append(target.signature().display()).append('\n');
      if (target.change() != null) {
        out.append("change: ").append(target.change().status());
        if (target.change().renamedFrom() != null) out.append(" (renamed from ").append(target.change().renamedFrom()).append(')');
        out.append("; changed lines: ").append(target.change().lines()).append(' ')
            .append(String.join(" ", target.change().excerpt())).append('\n');
      }
      if (target.signature() != null && !target.signature().body().isBlank()) {
        String body = target.signature().body();
        out.append("body:\n```\n").append(body.length() > MAX_SOURCE_CHARS ? body.substring(0, MAX_SOURCE_CHARS) : body)
            .append("\n```\n");
      } else if (target.sourceNote() != null) {
        out.append("source: not available (").append(target.sourceNote()).append(")\n");
      }
    }
    return out.toString();
  }

  private static String firstLine(Exception e) {
    return ErrorText.describe(e);
  }

  private static final String SYSTEM = """
      You design unit tests. For each case give: name (a test function name: letters, digits and _), \
      function_name and file_path (of the function it tests, exactly as given), kind (one of nominal, error_path, \
      null, empty, overflow, boundary, regression, new), description (the inputs and the situation), and expected \
      (the observable result). Prefer boundary values, NULL/empty/oversized inputs and error paths; for a change, \
      a regression case first. Answer with JSON only: {"test_cases": [...]}.""";

  private static final JsonSchema SCHEMA = JsonSchema.builder().name("test_cases").rootElement(JsonObjectSchema.builder()
      .addProperty("test_cases", JsonArraySchema.builder().items(JsonObjectSchema.builder()
          .addStringProperty("name").addStringProperty("function_name").addStringProperty("file_path")
          .addEnumProperty("kind", List.copyOf(KINDS)).addStringProperty("description").addStringProperty("expected")
          .required("name", "function_name", "file_path", "kind", "description", "expected")
          .additionalProperties(false).build()).build())
      .required("test_cases").additionalProperties(false).build()).build();

  /** The model answered, but not with usable cases. */
  private static final class Unusable extends RuntimeException {
    Unusable(String message) {
      super(message);
    }
  }
}
