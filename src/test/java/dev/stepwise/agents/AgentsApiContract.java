package dev.stepwise.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ServerContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Agent and tool discovery, with agent files added, changed and broken while the server runs. */
public abstract class AgentsApiContract extends ServerContract {

  @Test
  void the_builtin_agent_and_agent_files_are_discovered_and_reloaded_on_change() throws Exception {
    String token = server.tokenFor(Role.VIEWER);
    JsonNode agents = client.get("/api/v1/agents", token).data();
    assertThat(agents).extracting(a -> a.path("name").asText()).containsExactly("default", "demo");
    assertThat(agents.get(0).path("model").path("provider").asText()).isEqualTo("scripted");
    assertThat(agents.get(1).path("tools").get(0).asText()).isEqualTo("shell");

    Path dir = Files.createDirectories(server.config().dataDir().resolve("agents"));
    Files.writeString(dir.resolve("reviewer.yaml"), """
        name: reviewer
        description: Reviews a diff
        model: {provider: openai, base_url: "http://127.0.0.1:11434/v1", model: qwen2.5-coder:7b}
        tools: [shell, read_file]
        approval: {shell: always}
        """);
    Files.writeString(dir.resolve("broken.yaml"), "name: broken\nmodel: {provider: psychic}\n");
    JsonNode listed = client.get("/api/v1/agents", token).data();
    assertThat(listed).extracting(a -> a.path("name").asText()).containsExactly("default", "demo", "reviewer");
    JsonNode reviewer = client.get("/api/v1/agents/reviewer", token).data();
    assertThat(reviewer.path("approval_policy").path("shell").asText()).isEqualTo("always");
    assertThat(reviewer.path("approval_policy").path("read_file").asText()).isEqualTo("never");
    assertThat(reviewer.path("limits").path("max_turns").asInt()).isEqualTo(20);
    assertThat(reviewer.path("source").asText()).isEqualTo("agents/reviewer.yaml");

    Files.writeString(dir.resolve("reviewer.yaml"), """
        name: reviewer
        description: Reviews a diff, second edition
        model: {provider: openai, model: qwen2.5-coder:7b}
        """);
    Files.setLastModifiedTime(dir.resolve("reviewer.yaml"), java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 5000));
    assertThat(client.get("/api/v1/agents/reviewer", token).data().path("description").asText())
        .isEqualTo("Reviews a diff, second edition");
    assertThat(client.get("/api/v1/agents/nobody", token).status()).isEqualTo(404);
  }

  @Test
  void the_tools_are_listed_with_their_arguments_and_default_approval() {
    JsonNode tools = client.get("/api/v1/tools", server.tokenFor(Role.VIEWER)).data();
    assertThat(tools).extracting(t -> t.path("name").asText())
        .containsExactly("shell", "read_file", "write_file", "list_files", "http_get");
    assertThat(tools.get(0).path("default_approval").asText()).isEqualTo("risky");
    assertThat(tools.get(0).path("parameters").has("command")).isTrue();
  }
}
