package dev.stepwise.tasks.backends.opencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.app.Config;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The calls to the real OpenCode CLI's server ({@code STEPWISE_OPENCODE_COMMAND}, as {@code .ci/run}
 * installs it), offline against the scripted model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenCodeClientTest {
  private ScriptedOpenAiServer model;
  private OpenCodeConfig config;
  private OpenCodeServer server;
  private OpenCodeClient client;
  private HttpServer registry;
  private OpenCodeServer.Endpoint endpoint;
  private Path repository;
  private Path mcpMarker;
  private final List<String> registryRequests = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startOpenCode() throws Exception {
    model = new ScriptedOpenAiServer().respond(request -> {
      if (ScriptedOpenAiServer.system(request).contains("title generator")) return Answer.text("A title");
      return ScriptedOpenAiServer.toolResultsSincePrompt(request) == 0
          ? Answer.toolCall(null, "bash", "{\"command\":\"echo asked\",\"description\":\"Say it\"}")
          : Answer.text("Done.");
    });
    Path root = Files.createTempDirectory("stepwise-opencode-client-").toRealPath();
    config = new OpenCodeConfig(new Config.Model("openai", model.baseUrl(), "scripted-model", null,
        Duration.ofSeconds(30)), root.resolve("opencode"));
    // a package registry of our own, named where OpenCode's npm looks (its HOME's .npmrc): each request recorded
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", exchange -> {
      registryRequests.add(exchange.getRequestURI().toString());
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    registry.start();
    Files.createDirectories(config.home().resolve("home"));
    Files.writeString(config.home().resolve("home").resolve(".npmrc"),
        "registry=http://127.0.0.1:" + registry.getAddress().getPort() + "/\n");
    String command = System.getenv("STEPWISE_OPENCODE_COMMAND");
    server = new OpenCodeServer(command == null || command.isBlank() ? "opencode" : command, config);
    Path repository = GitRepo.appRepository(root, "app");
    // the repository's own OpenCode configuration names an MCP server: a command OpenCode would start
    mcpMarker = root.resolve("mcp-started");
    Files.writeString(repository.resolve("opencode.json"), "{\"mcp\": {\"repository-tool\": {\"type\": \"local\", "
        + "\"command\": [\"touch\", \"" + mcpMarker + "\"]}}}");
    endpoint = server.ensureStarted();
    client = new OpenCodeClient(endpoint, repository);
    this.repository = repository;
  }

  @AfterAll
  void stopOpenCode() {
    if (server != null) server.close();
    if (model != null) model.close();
    if (registry != null) registry.stop(0);
  }

  @Test
  void a_repositorys_own_opencode_configuration_is_not_loaded_so_nothing_in_it_starts() throws Exception {
    client.pendingPermissions(); // OpenCode opens the repository's instance, with the configuration it reads there
    var request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/mcp?directory="
        + URLEncoder.encode(repository.toString(), StandardCharsets.UTF_8)))
        .header("Authorization", endpoint.authorization()).timeout(Duration.ofSeconds(60)).build();
    try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      var servers = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(servers.statusCode()).isEqualTo(200);
      assertThat(servers.body()).as("the MCP servers OpenCode knows in the repository").isEqualTo("{}");
    }
    assertThat(mcpMarker).as("the repository's MCP command never ran").doesNotExist();
  }

  @Test
  void opencode_fetches_no_package_while_it_opens_the_repository_and_works_in_it() throws Exception {
    // OpenCode looks at the packages of its configuration directory when it opens a directory (before, it
    // asked the registry for its plugin package about a second after); a whole prompt runs here meanwhile
    String session = client.createSession("installs nothing");
    client.prompt(session, "build", config.modelId(), "Say asked.");
    String asked = await().atMost(Duration.ofSeconds(60)).until(() -> requestOf(session), id -> id != null);
    client.reply(asked, "once", null);
    await().atMost(Duration.ofSeconds(60)).until(() -> !client.busy(session));

    assertThat(registryRequests).as("requests to the package registry").isEmpty();
    assertThat(openCodeLog()).doesNotContain("dependency install");
  }

  @Test
  void a_request_answered_twice_is_taken_once_and_the_second_answer_is_no_error() {
    String session = client.createSession("asks once");
    client.prompt(session, "build", config.modelId(), "Say asked.");
    String asked = await().atMost(Duration.ofSeconds(60)).until(() -> requestOf(session), id -> id != null);

    // a pass that begins as OpenCode asks sees the request both in OpenCode's list and on its event stream
    assertThat(client.reply(asked, "once", null)).isTrue();
    assertThat(client.reply(asked, "once", null)).isFalse();

    await().atMost(Duration.ofSeconds(60)).until(() -> !client.busy(session));
    JsonNode last = client.messages(session).get(client.messages(session).size() - 1);
    assertThat(last.path("parts").toString()).contains("Done.");
    assertThat(model.requests.stream().map(ScriptedOpenAiServer::lastMessage)).anyMatch(m -> m.contains("asked"));
  }

  @Test
  void a_request_opencode_never_asked_is_no_longer_waited_on() {
    assertThat(client.reply("per_0000000000000000000000000", "reject", "not asked")).isFalse();
  }

  /** What OpenCode has logged so far (its log files, in its data directory). */
  private String openCodeLog() throws IOException {
    Path logs = config.home().resolve("data").resolve("opencode").resolve("log");
    var text = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path log : files.toList()) text.append(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  private String requestOf(String session) {
    for (JsonNode request : client.pendingPermissions()) {
      if (request.path("sessionID").asText().equals(session)) return request.path("id").asText();
    }
    return null;
  }
}
