package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class UsersPostgresTest extends UsersContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
