package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class TaskRunsPostgresTest extends TaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
