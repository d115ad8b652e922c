package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class NativeTaskRunsSqliteTest extends NativeTaskRunsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
