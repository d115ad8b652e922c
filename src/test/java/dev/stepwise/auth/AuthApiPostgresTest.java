package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class AuthApiPostgresTest extends AuthApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
