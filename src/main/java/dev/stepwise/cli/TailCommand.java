package dev.stepwise.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Follows an execution live from its first event; exits non-zero unless it completes. */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Follow an execution's events live.")
public final class TailCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution to follow (its id, as `run` or the API gives it).") long id;

  @Override
  public Integer call() {
    return Console.run(() -> Tail.follow(client.credentials().remote(), id));
  }
}
