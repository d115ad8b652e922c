package dev.stepwise.environments.ssh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.testing.MinaSshServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command sent on a connection that is closing (cut a moment before, as the health probe or a
 * step may find it) fails as a lost connection, like any other, not with MINA's unchecked refusal.
 */
class ClosingConnectionTest {
  @Test
  void a_command_on_a_connection_that_is_closing_fails_as_the_connection_gone() throws Exception {
    try (var ssh = MinaSshServer.start()) {
      var spec = new EnvironmentSpec("mina", "127.0.0.1", ssh.port(), System.getProperty("user.name"),
          new EnvironmentSpec.KeyFile(ssh.clientKey(), null), ssh.hostKey(), null, null, List.of(), 1,
          Duration.ofSeconds(5), Duration.ofSeconds(5));
      try (var connections = new SshConnections(List.of(spec), Map.of(), Clock.systemUTC());
          var lease = connections.borrow("mina")) {
        lease.session().close(false).await(Duration.ofSeconds(5));
        assertThatThrownBy(() -> RemoteCommands.run(lease.session(), "true", null, Duration.ofSeconds(5)))
            .isInstanceOf(IOException.class).hasMessage("the connection is closing");
      }
    }
  }
}
