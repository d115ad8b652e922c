package dev.stepwise.tasks.backends.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.app.Config;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenCodeConfigTest {
  private final OpenCodeConfig config = new OpenCodeConfig(
      new Config.Model("openai", "http://127.0.0.1:9999/v1", "coder", "model-key-123", Duration.ofSeconds(60)),
      Path.of("data", "opencode"));

  @Test
  void every_edit_and_command_is_asked_and_nothing_is_fetched_shared_or_tracked_twice() throws Exception {
    JsonNode content = new ObjectMapper().readTree(config.content());

    assertThat(content.path("permission").path("edit").asText()).isEqualTo("ask");
    assertThat(content.path("permission").path("bash").asText()).isEqualTo("ask");
    assertThat(content.path("permission").path("webfetch").asText()).isEqualTo("deny");
    assertThat(content.path("share").asText()).isEqualTo("disabled");
    assertThat(content.path("autoupdate").asBoolean(true)).isFalse();
    assertThat(content.path("lsp").asBoolean(true)).isFalse();
    // the work is kept and reviewed in the task's own worktree with git: OpenCode's second copy of every
    // step (a snapshot before and after each model call) would only cost time
    assertThat(content.path("snapshot").asBoolean(true)).isFalse();
    assertThat(content.path("model").asText()).isEqualTo("stepwise/coder");
    assertThat(config.content()).doesNotContain("model-key-123");
  }

  @Test
  void the_model_key_reaches_opencode_only_through_its_own_variable() {
    var environment = config.environment("server-password");

    assertThat(environment).containsEntry(OpenCodeConfig.KEY_VARIABLE, "model-key-123")
        .containsEntry("OPENCODE_SERVER_PASSWORD", "server-password")
        .doesNotContainKeys("STEPWISE_MODEL_API_KEY", "STEPWISE_ADMIN_PASSWORD");
    assertThat(environment.get("OPENCODE_CONFIG_CONTENT")).doesNotContain("model-key-123");
  }
}
