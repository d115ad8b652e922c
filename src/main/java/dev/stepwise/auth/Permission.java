package dev.stepwise.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What a user may do; the wire names are fixed by API.md §2. */
public enum Permission {
  TEST_SUBMIT("test:submit"),
  TEST_READ("test:read"),
  TEST_DELETE("test:delete"),
  STATUS_READ("status:read"),
  EXECUTION_APPROVE("execution:approve"),
  EXECUTION_CANCEL("execution:cancel"),
  AGENT_RUN("agent:run"),
  TASK_WRITE("task:write"),
  ORCHESTRATOR_ADMIN("orchestrator:admin"),
  USERS_ADMIN("users:admin");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<Permission> fromWireName(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
