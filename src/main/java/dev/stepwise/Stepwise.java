package dev.stepwise;

import dev.stepwise.app.Version;
import dev.stepwise.bench.BenchCommand;
import dev.stepwise.cli.CommandGroup;
import dev.stepwise.cli.EnvCommand;
import dev.stepwise.cli.ApproveCommand;
import dev.stepwise.cli.LoginCommand;
import dev.stepwise.cli.RunCommand;
import dev.stepwise.cli.ServerCommand;
import dev.stepwise.cli.TailCommand;
import dev.stepwise.cli.TaskCommand;
import dev.stepwise.cli.TokenCommand;
import dev.stepwise.cli.UserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stepwise} command line: the server and the admin commands. */
@Command(
    name = "stepwise",
    mixinStandardHelpOptions = true,
    versionProvider = Stepwise.VersionProvider.class,
    description = "Durable background executions for AI-driven work, with approvals and live events.",
    subcommands = {ServerCommand.class, RunCommand.class, TailCommand.class, ApproveCommand.class, LoginCommand.class,
        UserCommand.class, TokenCommand.class, TaskCommand.class, EnvCommand.class, BenchCommand.class})
public final class Stepwise extends CommandGroup {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Stepwise());
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"stepwise " + Version.current()};
    }
  }
}
