package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class LiveExecutionsSqliteTest extends LiveExecutionsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
