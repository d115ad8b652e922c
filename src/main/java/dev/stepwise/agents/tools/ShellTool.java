package dev.stepwise.agents.tools;

import dev.stepwise.plans.Durations;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.plans.StepType;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepRun;
import java.util.List;
import java.util.Map;

/**
 * The {@code shell} tool: runs a command line on the run's machine through the same runner as
 * command steps there (this node's: its own process group, the clean environment; a remote
 * environment's: over SSH), killed on timeout or cancel. The command is the tool call's argument, approved as it is; it is never combined with
 * other text. Output is kept up to {@link #MAX_OUTPUT} characters. Thread-safe.
 */
final class ShellTool {
  static final int MAX_OUTPUT = 64 * 1024;
  ToolResult run(String command, ToolContext context) throws InterruptedException {
    var spec = new StepSpec("shell", StepType.COMMAND, command, List.of(), false, context.timeout(), 0,
        java.time.Duration.ZERO, false, false, Map.of(), null, null, dev.stepwise.plans.EnvironmentChoice.ANY, null);
    var output = new StringBuilder();
    var truncated = new boolean[1];
    context.log().line((context.machine().remote() ? context.machine().environment() + "$ " : "$ ") + command);
    OutputSink collect = new OutputSink() {
      @Override
      public void line(String line) {
        context.log().line(line);
        synchronized (output) {
          if (output.length() + line.length() + 1 > MAX_OUTPUT) truncated[0] = true;
          else output.append(line).append('\n');
        }
      }

      @Override
      public int lineLimit() {
        return Math.min(context.log().lineLimit(), MAX_OUTPUT);
      }
    };
    StepOutcome outcome = context.machine().commands().run(new StepRun(context.executionId(), context.stepNumber(), spec, context.env(),
        context.workspace(), context.timeout(), context.cancel(), context.mark(), context.secrets(), h -> { },
        context.machine()), collect);
    String text;
    synchronized (output) {
      text = output + (truncated[0] ? "[output truncated at " + MAX_OUTPUT / 1024 + " KB]\n" : "");
    }
    return switch (outcome) {
      case StepOutcome.Succeeded s -> new ToolResult(text, s.exitCode(), false);
      case StepOutcome.Failed f -> f.exitCode() != null ? new ToolResult(text, f.exitCode(), false)
          : ToolResult.refused("the command could not run: " + f.reason());
      case StepOutcome.TimedOut t -> new ToolResult(text + "[stopped: the command ran longer than "
          + Durations.format(t.after()) + "]", null, false);
      case StepOutcome.Cancelled c -> new ToolResult(text + "[stopped: the run was cancelled]", null, false);
      case StepOutcome.AwaitingApproval a -> throw new IllegalStateException("a command does not wait for approval");
      case StepOutcome.Rejected r -> throw new IllegalStateException("a command is not rejected");
    };
  }
}
