package dev.stepwise.executions;

import dev.stepwise.testing.TestDatabase;

class ExecutionApiPostgresTest extends ExecutionApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
