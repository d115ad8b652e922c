package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class TokenWatchPostgresTest extends TokenWatchContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
