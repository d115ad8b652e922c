package dev.stepwise.executions;

import dev.stepwise.testing.TestDatabase;

class ExecutionApiSqliteTest extends ExecutionApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
