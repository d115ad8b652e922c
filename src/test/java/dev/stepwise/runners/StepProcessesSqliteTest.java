package dev.stepwise.runners;

import dev.stepwise.testing.TestDatabase;

class StepProcessesSqliteTest extends StepProcessesContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
