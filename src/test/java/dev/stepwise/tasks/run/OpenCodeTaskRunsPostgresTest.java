package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class OpenCodeTaskRunsPostgresTest extends OpenCodeTaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
