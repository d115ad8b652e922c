package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class RecoveryPostgresIT extends RecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
