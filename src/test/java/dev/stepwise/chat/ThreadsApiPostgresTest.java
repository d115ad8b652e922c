package dev.stepwise.chat;

import dev.stepwise.testing.TestDatabase;

class ThreadsApiPostgresTest extends ThreadsApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
