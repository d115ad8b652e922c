package dev.stepwise.chat;

import dev.stepwise.testing.TestDatabase;

class ThreadsApiSqliteTest extends ThreadsApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
