package dev.stepwise.tasks;

import dev.stepwise.testing.TestDatabase;

class TasksApiSqliteTest extends TasksApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
