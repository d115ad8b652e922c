package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class TaskRecoverySqliteIT extends TaskRecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
