package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class ApiTokensPostgresTest extends ApiTokensContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
