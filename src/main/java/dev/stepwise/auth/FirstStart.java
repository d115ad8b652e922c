package dev.stepwise.auth;

import java.io.PrintStream;

/**
 * Makes sure a fresh installation can be used: an admin (with the configured password, or a
 * generated one printed once) and the built-in demo user.
 */
public final class FirstStart {
  public static final String ADMIN_USERNAME = "admin";
  public static final String DEMO_USERNAME = "demo";

  private FirstStart() {}

  public static void ensureUsers(Users users, Passwords passwords, String adminPassword, PrintStream console) {
    if (!users.anyEnabledAdmin() && users.findByUsername(ADMIN_USERNAME).isEmpty()) {
      String password = adminPassword != null ? adminPassword : passwords.generate();
      try {
        users.create(ADMIN_USERNAME, passwords.hash(password), Role.ADMIN, false);
      } catch (Users.UsernameTaken anotherNodeWasFirst) {
        return;
      }
      if (adminPassword == null) {
        console.println("Created the first admin user 'admin' with password: " + password);
        console.println("This password is shown only once. Change it with PATCH /api/v1/users/{id}.");
      } else {
        console.println("Created the first admin user 'admin' with the password from STEPWISE_ADMIN_PASSWORD.");
      }
    }
    if (users.findByUsername(DEMO_USERNAME).isEmpty()) {
      // The demo user never logs in with a password: only through demo-login.
      try {
        users.create(DEMO_USERNAME, passwords.hash(passwords.generate()), Role.DEMO, true);
      } catch (Users.UsernameTaken anotherNodeWasFirst) {
        // several nodes started together on one database
      }
    }
  }
}
