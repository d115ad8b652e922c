package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class TaskRecoveryPostgresIT extends TaskRecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
