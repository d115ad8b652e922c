package dev.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The report is given whatever the components do: one that hangs is reported, not waited for. */
class HealthServiceTest {
  private static ComponentHealth component(String name, java.util.function.Supplier<Map<String, Object>> check) {
    return new ComponentHealth() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> check() {
        return check.get();
      }
    };
  }

  @Test
  void a_component_that_does_not_answer_is_unhealthy_and_the_others_still_report() {
    var never = new CountDownLatch(1);
    var health = new HealthService(List.of(
        component("database", () -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Map.of("status", "healthy");
        }),
        component("event_bus", () -> Map.of("status", "healthy", "subscribers", 0))), Clock.systemUTC());
    HealthService.Report report = health.report();
    never.countDown();
    assertThat(report.status()).isEqualTo("unhealthy");
    assertThat(report.components().get("database").get("error").toString()).contains("did not answer within");
    assertThat(report.components().get("event_bus").get("status")).isEqualTo("healthy");
  }

  @Test
  void a_component_that_fails_is_unhealthy_with_words_not_a_class_name() {
    var health = new HealthService(List.of(component("database", () -> {
      throw new IllegalStateException("org.example.Driver$Inner blew up");
    })), Clock.systemUTC());
    var database = health.report().components().get("database");
    assertThat(database.get("status")).isEqualTo("unhealthy");
    assertThat(database.get("error").toString()).isEqualTo("could not be checked; the server log has the details");
  }
}
