package dev.stepwise.tasks.backends.opencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.app.Config;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.ScriptedOpenAiServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    String command = System.getenv("STEPWISE_OPENCODE_COMMAND");
    server = new OpenCodeServer(command == null || command.isBlank() ? "opencode" : command, config);
    client = new OpenCodeClient(server.ensureStarted(), GitRepo.appRepository(root, "app"));
  }

  @AfterAll
  void stopOpenCode() {
    if (server != null) server.close();
    if (model != null) model.close();
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

  private String requestOf(String session) {
    for (JsonNode request : client.pendingPermissions()) {
      if (request.path("sessionID").asText().equals(session)) return request.path("id").asText();
    }
    return null;
  }
}
