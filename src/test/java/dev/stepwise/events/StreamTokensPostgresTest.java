package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class StreamTokensPostgresTest extends StreamTokensContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
