package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.ApiClient;
import dev.stepwise.testing.SmallDisk;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The disk holding the database fills up while a step writes output: the step is stopped and
 * fails saying that the disk is full (not that a node stopped), and the record lands once there is
 * room again. A real filesystem, really full; both databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DiskFullContract {
  private SmallDisk disk;
  private TestServer server;
  private ApiClient client;

  /** The database, with its files on {@code disk}. */
  abstract TestDatabase databaseOn(SmallDisk disk) throws Exception;

  /** Whose files the small disk holds: the database server's own user, or null for this process. */
  abstract String diskOwner();

  @BeforeAll
  void start() throws Exception {
    disk = SmallDisk.mount(24, diskOwner());
    server = TestServer.builder(databaseOn(disk)).start();
    client = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) server.close();
    if (disk != null) disk.close();
  }

  @Test
  void a_step_whose_output_cannot_be_stored_for_a_full_disk_fails_saying_so() throws Exception {
    String token = server.tokenFor(Role.ADMIN);
    String pause = "0.0" + ThreadLocalRandom.current().nextInt(10_000, 99_999);
    long id = client.send("POST", "/api/v1/executions", token, """
        name: noisy
        steps:
          - {name: writes, run: 'i=0; while [ $i -lt 3000 ]; do echo line $i of output that fills the log; i=$((i+1)); sleep %s; done', continue_on_error: true}
          - {name: after, run: 'while [ -e %s ]; do sleep 0.05; done; echo after'}
        """.formatted(pause, disk.filler()), "text/yaml").data().path("id").asLong();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/v1/executions/" + id, token).data()
        .path("steps").get(0).path("status").asText().equals("running"));
    disk.fill();
    // the step is stopped for its output; its record waits for room
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep " + pause)));
    disk.free();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      var execution = client.get("/api/v1/executions/" + id, token);
      return execution.status() == 200 && execution.data().path("finished_at").isTextual();
    });
    JsonNode done = client.get("/api/v1/executions/" + id, token).data();
    JsonNode failed = done.path("steps").get(0);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("error").asText()).contains("output could not be stored").contains("disk").contains("full")
        .doesNotContain("node").doesNotContainPattern("Exception|SQLState|SQLITE_|PSQL|FATAL");
    // what stopped that step stopped only it: the next one runs once there is room
    assertThat(done.path("steps").get(1).path("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
  }
}
