package dev.stepwise.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.environments.ssh.SshConnections;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background prober of {@code /health}'s environments never stops while the server runs. */
class EnvironmentsProberTest {
  @Test
  void a_check_that_throws_does_not_stop_the_prober_for_it_or_the_others() {
    Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
    try (var connections = new SshConnections(List.of(spec("first"), spec("second")), Map.of(), Clock.systemUTC());
        var health = new EnvironmentsHealth(connections, name -> {
          checks.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
          if (name.equals("first")) throw new IllegalStateException("refused by the SSH library");
        }, Duration.ofMillis(20))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(checks.getOrDefault("first", new AtomicInteger()).get()).isGreaterThanOrEqualTo(3);
        assertThat(checks.getOrDefault("second", new AtomicInteger()).get()).isGreaterThanOrEqualTo(3);
      });
    }
  }

  private static EnvironmentSpec spec(String name) {
    return new EnvironmentSpec(name, "127.0.0.1", 22, "nobody", new EnvironmentSpec.PasswordEnv("UNSET"), null,
        null, null, List.of(), 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }
}
