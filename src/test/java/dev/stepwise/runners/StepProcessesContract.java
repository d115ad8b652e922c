package dev.stepwise.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ServerContract;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A step's processes are all stopped when it times out, is cancelled or exits, including children
 * that left its process group: {@code setsid}, {@code nohup … &}, a double fork. Real processes,
 * real server, both databases.
 */
public abstract class StepProcessesContract extends ServerContract {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A step that starts one child of each escaping kind, each a {@code sleep} of a unique length. */
  private static String escapingChildren(long marker) {
    return "setsid sleep " + marker + " & nohup sleep " + (marker + 1) + " >/dev/null 2>&1 & "
        + "(sh -c 'sleep " + (marker + 2) + " &' &); sleep " + (marker + 3);
  }

  private static long unique() {
    return 800_000 + ThreadLocalRandom.current().nextLong(50_000) * 4;
  }

  private static long alive(long marker) {
    return ProcessHandle.allProcesses().filter(p -> {
      String line = p.info().commandLine().orElse("");
      // the command line starts with the program's path: /usr/bin/sleep 800004
      for (long m = marker; m < marker + 4; m++) if (line.matches("(\\S*/)?sleep " + m)) return true;
      return false;
    }).count();
  }

  private String admin() {
    return server.tokenFor(Role.ADMIN);
  }

  private long submit(String yaml) {
    return submit(admin(), yaml);
  }

  private JsonNode awaitStatus(long id, String status) {
    JsonNode finished = awaitFinished(id, admin());
    assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo(status);
    return finished;
  }

  private String log(long id) {
    return client.get("/api/v1/executions/" + id + "/logs?step=1", admin()).text();
  }

  @Test
  void a_timeout_stops_children_that_left_the_process_group() {
    long marker = unique();
    long id = submit("name: escape-timeout\nsteps: [{name: s, run: \"" + escapingChildren(marker) + "\", timeout: 2s}]");
    await().atMost(WAIT).until(() -> alive(marker) == 4);
    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.path("steps").get(0).path("status").asText()).isEqualTo("timed_out");
    assertThat(alive(marker)).as("every process of the step, escaped or not").isZero();
    assertThat(log(id)).contains("[stepwise] timed out after 2s: stopped").contains("had left the step's process group");
  }

  @Test
  void a_cancel_stops_children_that_left_the_process_group() {
    long marker = unique();
    long id = submit("name: escape-cancel\nsteps: [{name: s, run: \"" + escapingChildren(marker) + "\"}]");
    await().atMost(WAIT).until(() -> alive(marker) == 4);
    assertThat(client.post("/api/v1/executions/" + id + "/cancel", admin(), null).status()).isIn(200, 202);
    awaitStatus(id, "cancelled");
    assertThat(alive(marker)).isZero();
    assertThat(log(id)).contains("[stepwise] cancelled: stopped");
  }

  @Test
  void what_a_step_leaves_running_when_its_command_exits_is_stopped_and_the_log_says_so() {
    long marker = unique();
    // both children are running before the command exits (setsid forks once more before it execs sleep)
    long id = submit("name: escape-exit\nsteps: [{name: s, run: \"setsid sleep " + marker + " & nohup sleep "
        + (marker + 1) + " >/dev/null 2>&1 & until [ $(pgrep -fc '^sleep (" + marker + "|" + (marker + 1)
        + ")$') = 2 ]; do sleep 0.05; done; echo started\"}]");
    JsonNode completed = awaitStatus(id, "completed");
    assertThat(completed.path("steps").get(0).path("exit_code").asInt()).isZero();
    assertThat(alive(marker)).isZero();
    assertThat(log(id)).contains("started").contains("[stepwise] after the command exited: stopped 2 processes");
  }
}
