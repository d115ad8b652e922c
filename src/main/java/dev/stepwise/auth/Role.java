package dev.stepwise.auth;

import static dev.stepwise.auth.Permission.*;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A named set of permissions (API.md §2). A user has exactly one role. */
public enum Role {
  VIEWER("viewer", EnumSet.of(TEST_READ, STATUS_READ)),
  DEMO("demo", EnumSet.of(TEST_SUBMIT, TEST_READ, TEST_DELETE, STATUS_READ)),
  OPERATOR("operator", EnumSet.of(TEST_SUBMIT, TEST_READ, EXECUTION_APPROVE, EXECUTION_CANCEL,
      AGENT_RUN, TASK_WRITE, STATUS_READ)),
  ADMIN("admin", EnumSet.allOf(Permission.class));

  private final String wireName;
  private final Set<Permission> permissions;

  Role(String wireName, Set<Permission> permissions) {
    this.wireName = wireName;
    this.permissions = Collections.unmodifiableSet(permissions);
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  public boolean allows(Permission permission) {
    return permissions.contains(permission);
  }

  /** Permission wire names in a stable order, as shown to clients. */
  public List<String> permissionNames() {
    return permissions.stream().map(Permission::wireName).toList();
  }

  public static Optional<Role> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(Role::wireName).toList();
  }
}
