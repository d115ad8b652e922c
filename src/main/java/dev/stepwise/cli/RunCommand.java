package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Submits a plan file; with {@code --follow}, streams it live and exits non-zero unless it completes. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Submit a plan (YAML or JSON file).")
public final class RunCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(paramLabel = "PLAN", description = "The plan file.") Path plan;

  @Option(names = {"-f", "--follow"}, description = "Print step output and status live; exit 1 unless it completes.")
  boolean follow;

  @Override
  public Integer call() {
    return Console.run(() -> {
      if (!Files.isReadable(plan)) throw new IllegalStateException("cannot read the plan file " + plan);
      Remote remote = client.credentials().remote();
      JsonNode execution = remote.call("POST", "/api/v1/executions", Files.readString(plan), "text/yaml");
      long id = execution.path("id").asLong();
      System.out.println("Submitted execution " + id + " (" + execution.path("status").asText() + ")");
      if (!follow) return 0;
      return Tail.follow(remote, id);
    });
  }
}
