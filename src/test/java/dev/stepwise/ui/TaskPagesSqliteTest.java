package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class TaskPagesSqliteTest extends TaskPagesContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
