package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class TokenWatchSqliteTest extends TokenWatchContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
