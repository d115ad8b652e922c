package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class TaskRunsSqliteTest extends TaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
