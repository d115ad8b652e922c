package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class StreamTokensSqliteTest extends StreamTokensContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
