package dev.stepwise.agents;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools an agent may be given (API.md §7): what each does, the arguments it takes, and the
 * approval it gets when an agent definition says nothing.
 */
public record Tool(String name, String description, Map<String, String> parameters, ApprovalMode defaultApproval) {
  public static final List<Tool> ALL = List.of(
      new Tool("shell", "Runs a command in the run's environment and returns its output and exit code",
          Map.of("command", "the command line"), ApprovalMode.RISKY),
      new Tool("read_file", "Reads a text file in the run's workspace", Map.of("path", "a path inside the workspace"),
          ApprovalMode.NEVER),
      new Tool("write_file", "Writes a text file in the run's workspace",
          Map.of("path", "a path inside the workspace", "content", "the file's new text"), ApprovalMode.ALWAYS),
      new Tool("list_files", "Lists the files under a directory of the run's workspace",
          Map.of("path", "a directory inside the workspace"), ApprovalMode.NEVER),
      new Tool("http_get", "Fetches a URL (not loopback, link-local or private addresses unless allowed)",
          Map.of("url", "an http or https URL"), ApprovalMode.RISKY));

  public static Optional<Tool> named(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Tool::name).toList();
  }
}
