package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class LiveExecutionsPostgresTest extends LiveExecutionsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
