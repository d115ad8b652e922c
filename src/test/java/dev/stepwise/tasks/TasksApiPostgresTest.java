package dev.stepwise.tasks;

import dev.stepwise.testing.TestDatabase;

class TasksApiPostgresTest extends TasksApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
