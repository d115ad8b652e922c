package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class AuthApiSqliteTest extends AuthApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
