package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class TaskPagesPostgresTest extends TaskPagesContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
