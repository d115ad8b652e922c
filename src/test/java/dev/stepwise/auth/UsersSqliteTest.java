package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class UsersSqliteTest extends UsersContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
