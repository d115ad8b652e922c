package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class NativeTaskRunsPostgresTest extends NativeTaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
