package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.TestDatabase;
import dev.stepwise.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Demo login follows the bind address unless explicitly set (API.md §2). */
public abstract class DemoLoginBindingContract {
  protected abstract TestDatabase newDatabase();

  private int demoLogin(String host, Boolean enabled) {
    try (var server = TestServer.builder(newDatabase()).host(host).demoLogin(enabled).start()) {
      var response = server.client().post("/api/v1/auth/demo-login", null, null);
      if (response.status() == 403) assertThat(response.errorCode()).isEqualTo("DEMO_LOGIN_DISABLED");
      return response.status();
    }
  }

  @Test
  void demo_login_is_disabled_when_bound_to_a_non_loopback_address() {
    assertThat(demoLogin("0.0.0.0", null)).isEqualTo(403);
  }

  @Test
  void demo_login_can_be_enabled_explicitly_on_a_public_address() {
    assertThat(demoLogin("0.0.0.0", true)).isEqualTo(200);
  }

  @Test
  void demo_login_can_be_disabled_on_loopback() {
    assertThat(demoLogin("127.0.0.1", false)).isEqualTo(403);
  }
}
