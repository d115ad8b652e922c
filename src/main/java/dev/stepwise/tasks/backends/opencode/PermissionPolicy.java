package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.agents.tools.AgentTools;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.ToolApproval;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Stepwise answers OpenCode's permission requests: an edit in a phase that only reads
 * (planning, the AI review) is refused; otherwise the task's policy decides, an edit by
 * {@code approval.edit}, a command by {@code approval.shell} ({@code risky}: off the server's safe
 * list), anything else by a person. Thread-safe.
 */
final class PermissionPolicy {
  /** What becomes of one request. */
  enum Answer { ALLOW, ASK_PERSON, REFUSE }

  private final AgentTools tools;

  PermissionPolicy(AgentTools tools) {
    this.tools = tools;
  }

  Answer answer(Phase phase, ToolApproval approval, String permission, Map<String, Object> arguments) {
    return switch (permission) {
      case "edit" -> !phase.writes() ? Answer.REFUSE
          : approval.edit() == ApprovalMode.NEVER ? Answer.ALLOW : Answer.ASK_PERSON;
      case "bash" -> (arguments.get("command") instanceof String command
          ? tools.needsApproval(approval.shell(), "shell", Map.of("command", command))
          : approval.shell() != ApprovalMode.NEVER) ? Answer.ASK_PERSON : Answer.ALLOW;
      default -> Answer.ASK_PERSON;
    };
  }

  /** What a person deciding sees of a request: the file and the diff, or the command, or what OpenCode sent. */
  static Map<String, Object> arguments(JsonNode request, java.nio.file.Path worktree) {
    JsonNode metadata = request.path("metadata");
    Map<String, Object> arguments = new LinkedHashMap<>();
    if (metadata.path("command").isTextual()) arguments.put("command", metadata.path("command").asText());
    if (metadata.path("filepath").isTextual()) {
      String path = metadata.path("filepath").asText();
      String prefix = worktree.toString() + "/";
      arguments.put("path", path.startsWith(prefix) ? path.substring(prefix.length()) : path);
    }
    if (metadata.path("diff").isTextual()) arguments.put("diff", metadata.path("diff").asText());
    if (arguments.isEmpty()) {
      request.path("patterns").forEach(p -> arguments.merge("patterns", p.asText(), (a, b) -> a + " " + b));
    }
    return arguments;
  }
}
