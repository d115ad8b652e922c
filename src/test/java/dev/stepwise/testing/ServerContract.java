package dev.stepwise.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the API suites: one real server per test class on a fresh database of the dialect the
 * empty subclass names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerContract {
  protected TestServer server;
  protected ApiClient client;

  protected abstract TestDatabase newDatabase();

  /** Override to change the server's settings. */
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder;
  }

  @BeforeAll
  void startServer() {
    server = configure(TestServer.builder(newDatabase())).start();
    client = server.client();
  }

  /** Submits a YAML plan as {@code token}; the test fails unless it is accepted. Returns its id. */
  protected long submit(String token, String yaml) {
    var response = client.send("POST", "/api/v1/executions", token, yaml, "text/yaml");
    org.assertj.core.api.Assertions.assertThat(response.status()).as(response.text()).isEqualTo(202);
    return response.data().path("id").asLong();
  }

  /** The execution once it has finished, however it ended (waits up to 30 s). */
  protected com.fasterxml.jackson.databind.JsonNode awaitFinished(long id, String token) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> client.get("/api/v1/executions/" + id, token).data().path("finished_at").isTextual());
    return client.get("/api/v1/executions/" + id, token).data();
  }

  @AfterAll
  void stopServer() {
    if (server != null) server.close();
  }
}
