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

  @AfterAll
  void stopServer() {
    if (server != null) server.close();
  }
}
