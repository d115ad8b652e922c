package dev.stepwise.testcases.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.app.Config;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM generator against an OpenAI-compatible chat-completions server that the test runs and
 * scripts: a valid answer, a malformed one, and no server at all.
 */
class LlmGeneratorTest {
  private HttpServer model;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
  private final Targets targets = new Targets(new SourceTree(AnalyserTest.SOURCES, Path.of("data")));

  @BeforeEach
  void startModel() throws IOException {
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    model.createContext("/v1/chat/completions", exchange -> {
      requests.add(Json.mapper().readTree(exchange.getRequestBody()));
      String content = answers.poll();
      ObjectNode body = Json.mapper().createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
          .put("created", 1).put("model", "coder");
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", content == null ? "" : content);
      body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20);
      byte[] bytes = Json.write(body);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    model.start();
  }

  @AfterEach
  void stopModel() {
    model.stop(0);
  }

  private TestGenerator generator(int port) {
    return TestGenerators.forConfig(new Config.Model("openai", "http://127.0.0.1:" + port + "/v1", "coder", null,
        Duration.ofSeconds(10)));
  }

  private static String answer(Object... cases) {
    return new String(Json.write(Map.of("test_cases", List.of(cases))), StandardCharsets.UTF_8);
  }

  private static Map<String, String> modelCase(String name, String function, String kind) {
    return Map.of("name", name, "function_name", function, "file_path", "c/netparse.c", "kind", kind,
        "description", "port text of six digits", "expected", "returns -ERANGE");
  }

  @Test
  void aValidAnswerBecomesTheCasesAndTheModelSeesTheSignatureAndSchema() throws Exception {
    answers.add(answer(modelCase("test_parse_port_six_digits", "parse_port", "boundary"),
        modelCase("test_parse_port_six_digits", "parse_port", "overflow"),
        modelCase("test_other_function", "not_asked_about", "nominal")));
    var generation = generator(model.getAddress().getPort()).generate(
        List.of(targets.locate("c/netparse.c", "parse_port")), 5);
    assertThat(generation.generator()).isEqualTo("llm:coder");
    assertThat(generation.cases()).extracting(ProposedCase::name)
        .containsExactly("test_parse_port_six_digits", "test_parse_port_six_digits_2");
    assertThat(generation.cases().getFirst().tags()).contains("generated", "boundary", "c");
    assertThat(generation.warnings()).singleElement().asString().contains("function_name is not one of the functions");
    JsonNode request = requests.take();
    assertThat(request.path("model").asText()).isEqualTo("coder");
    assertThat(request.path("response_format").path("type").asText()).isEqualTo("json_schema");
    assertThat(request.path("messages").toString()).contains("int parse_port(const char *text)").contains("-ERANGE");
  }

  @Test
  void aMalformedAnswerFallsBackToTheAnalyserWithAWarning() {
    answers.add("Sure! Here are some great tests: test that it works.");
    var generation = generator(model.getAddress().getPort()).generate(
        List.of(targets.locate("c/netparse.c", "parse_port")), 2);
    assertThat(generation.generator()).isEqualTo("analyser");
    assertThat(generation.cases()).extracting(ProposedCase::name)
        .containsExactly("test_parse_port_nominal", "test_parse_port_error_einval");
    assertThat(generation.warnings().getFirst()).contains("the model's answer was unusable (not JSON")
        .contains("the cases come from the analyser instead");

    answers.add("{\"test_cases\": [{\"name\": \"bad name with spaces\"}]}");
    var unusable = generator(model.getAddress().getPort()).generate(List.of(targets.locate("c/netparse.c", "parse_port")), 2);
    assertThat(unusable.generator()).isEqualTo("analyser");
    assertThat(unusable.warnings().getFirst()).contains("no usable test case");
  }

  @Test
  void aServerThatIsDownFallsBackWithAWarningThroughTheApi() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var direct = generator(closedPort).generate(List.of(targets.locate("c/netparse.c", "parse_port")), 1);
    assertThat(direct.generator()).isEqualTo("analyser");
    assertThat(direct.warnings().getFirst()).contains("could not be reached or failed");

    try (var server = TestServer.builder(TestDatabase.sqlite())
        .testing(new Config.Testing(AnalyserTest.SOURCES, Map.of(), 64 * 1024))
        .model(new Config.Model("openai", "http://127.0.0.1:" + closedPort + "/v1", "coder", null, Duration.ofSeconds(5)))
        .start()) {
      var response = server.client().post("/api/v1/tests/generate-from-function", server.tokenFor(Role.OPERATOR),
          Map.of("function_name", "parse_port", "file_path", "c/netparse.c", "max_tests", 1, "auto_execute", false));
      assertThat(response.status()).as(response.text()).isEqualTo(201);
      assertThat(response.data().path("generator").asText()).isEqualTo("analyser");
      assertThat(response.data().path("warnings").get(0).asText()).contains("127.0.0.1:" + closedPort);
      assertThat(response.data().path("test_cases").get(0).path("generator").asText()).isEqualTo("analyser");
    }

    answers.add(answer(modelCase("test_parse_port_from_model", "parse_port", "boundary")));
    try (var server = TestServer.builder(TestDatabase.sqlite())
        .testing(new Config.Testing(AnalyserTest.SOURCES, Map.of(), 64 * 1024))
        .model(new Config.Model("openai", "http://127.0.0.1:" + model.getAddress().getPort() + "/v1", "coder", null,
            Duration.ofSeconds(5)))
        .start()) {
      var response = server.client().post("/api/v1/tests/generate-from-function", server.tokenFor(Role.OPERATOR),
          Map.of("function_name", "parse_port", "file_path", "c/netparse.c", "max_tests", 1, "auto_execute", false));
      assertThat(response.data().path("generator").asText()).isEqualTo("llm:coder");
      assertThat(response.data().path("test_cases").get(0).path("name").asText()).isEqualTo("test_parse_port_from_model");
      assertThat(response.data().path("test_cases").get(0).path("generator").asText()).isEqualTo("llm:coder");
    }
  }
}
