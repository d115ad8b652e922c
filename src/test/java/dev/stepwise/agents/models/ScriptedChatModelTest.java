package dev.stepwise.agents.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.output.FinishReason;
import dev.stepwise.agents.AgentParser;
import dev.stepwise.agents.AgentParserTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest {
  private final ScriptedChatModel model = new ScriptedChatModel(AgentParser.parse(AgentParserTest.fixture("dry-run.yaml"), "test").model().script());

  @Test
  void repliesTurnByTurnFromTheConversationAlone() {
    List<dev.langchain4j.data.message.ChatMessage> history = new ArrayList<>(List.of(UserMessage.from("what is here?")));
    var first = model.chat(ChatRequest.builder().messages(history).build());
    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(first.aiMessage().text()).isEqualTo("I will look at the repository first.");
    var call = first.aiMessage().toolExecutionRequests().getFirst();
    assertThat(call.name()).isEqualTo("shell");
    assertThat(call.arguments()).isEqualTo("{\"command\":\"ls -1\"}");

    history.add(first.aiMessage());
    history.add(ToolExecutionResultMessage.from(call, "a\nb\nc"));
    var second = model.chat(ChatRequest.builder().messages(history).build());
    assertThat(second.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(second.aiMessage().text()).isEqualTo("The repository has three files.");
    assertThat(second.aiMessage().thinking()).isEqualTo("Now I know enough.");

    // the same history gives the same answer: a resumed run continues where it stood
    assertThat(model.chat(ChatRequest.builder().messages(history).build()).aiMessage().text())
        .isEqualTo("The repository has three files.");
    history.add(second.aiMessage());
    history.add(AiMessage.from("extra"));
    assertThat(model.chat(ChatRequest.builder().messages(history).build()).aiMessage().text()).contains("ended after 2");
  }
}
