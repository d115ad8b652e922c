package dev.stepwise.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

public class AgentParserTest {
  /** An agent file from the test resources. */
  public static String fixture(String name) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/agents", name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void readsTheDocumentedReviewer() {
    AgentDefinition agent = AgentParser.parse("""
        name: reviewer
        description: Reviews a diff and runs the tests
        model:
          provider: openai
          base_url: http://127.0.0.1:11434/v1
          model: qwen2.5-coder:7b
          api_key_env: OPENAI_API_KEY
        system_prompt: You are a careful reviewer.
        tools: [shell, read_file, list_files]
        approval: {shell: always, read_file: never}
        limits: {max_turns: 20, max_tool_calls: 50, timeout: 15m}
        """, "agents/reviewer.yaml");
    assertThat(agent.model().name()).isEqualTo("qwen2.5-coder:7b");
    assertThat(agent.approvalPolicy()).containsEntry("shell", ApprovalMode.ALWAYS)
        .containsEntry("read_file", ApprovalMode.NEVER).containsEntry("list_files", ApprovalMode.NEVER);
    assertThat(agent.limits().timeout()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void readsTheDocumentedScriptedModel() {
    AgentDefinition agent = AgentParser.parse(fixture("dry-run.yaml"), "agents/dry-run.yaml");
    assertThat(agent.model().script()).hasSize(2);
    assertThat(agent.model().script().getFirst().arguments().path("command").asText()).isEqualTo("ls -1");
    assertThat(agent.approvalPolicy()).containsEntry("shell", ApprovalMode.RISKY);
    assertThat(agent.limits()).isEqualTo(AgentDefinition.Limits.DEFAULT);
  }

  @Test
  void everyProblemIsNamedByItsPath() {
    var invalid = catchThrowableOfType(AgentParser.Invalid.class, () -> AgentParser.parse("""
        name: Bad Name
        modle: {}
        model:
          provider: scripted
          base_url: https://user:secret@example.com/v1
          script:
            - tool: {name: rm_rf}
              reply: both
            - thinking: no ending
              tool: {name: shell}
        tools: [shell, telepathy]
        approval: {read_file: never, shell: sometimes}
        limits: {max_turns: 0}
        """, "agents/bad.yaml"));
    assertThat(invalid.problems()).containsKeys("name", "modle", "model.base_url", "model.script[0].tool.name",
        "model.script[0].tool", "model.script", "tools[1]", "approval.read_file", "approval.shell", "limits.max_turns");
    assertThat(invalid.problems().get("modle")).contains("did you mean 'model'");
    assertThat(invalid.getMessage()).doesNotContain("secret");
  }
}
