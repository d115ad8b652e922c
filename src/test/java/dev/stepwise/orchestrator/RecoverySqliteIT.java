package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class RecoverySqliteIT extends RecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
