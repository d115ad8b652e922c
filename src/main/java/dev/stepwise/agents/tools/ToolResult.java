package dev.stepwise.agents.tools;

/**
 * What a tool call gave back to the model.
 *
 * @param exitCode a command's exit code; {@code null} for tools that run none
 * @param refused whether the call was not carried out (bad arguments, a path outside the workspace)
 */
public record ToolResult(String output, Integer exitCode, boolean refused) {
  public static ToolResult ok(String output) {
    return new ToolResult(output, null, false);
  }

  public static ToolResult refused(String reason) {
    return new ToolResult(reason, null, true);
  }
}
