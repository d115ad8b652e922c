package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class ApiTokensSqliteTest extends ApiTokensContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
