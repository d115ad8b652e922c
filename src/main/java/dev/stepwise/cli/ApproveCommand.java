package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Approves (or rejects) a step that waits for a decision. */
@Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve or reject a waiting step.")
public final class ApproveCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "ID", description = "The execution that waits.") long id;

  @Parameters(index = "1", paramLabel = "STEP", description = "The number of the step that waits (1 is the first).") int step;

  @Option(names = "--reject", description = "Reject instead of approving.") boolean reject;

  @Option(names = {"-m", "--comment"}, description = "Why.") String comment;

  @Override
  public Integer call() {
    return Console.run(() -> {
      Remote remote = client.credentials().remote();
      var body = new LinkedHashMap<String, Object>();
      body.put("approve", !reject);
      if (comment != null) body.put("comment", comment);
      JsonNode execution = remote.call("POST", "/api/v1/executions/" + id + "/steps/" + step + "/approve",
          remote.json(body), "application/json");
      System.out.println("Step " + step + " of execution " + id + (reject ? " rejected" : " approved")
          + "; execution is " + execution.path("status").asText());
      return 0;
    });
  }
}
