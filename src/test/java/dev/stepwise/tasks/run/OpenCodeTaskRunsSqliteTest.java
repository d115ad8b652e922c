package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class OpenCodeTaskRunsSqliteTest extends OpenCodeTaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
