package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class RemoteRecoveryPostgresIT extends RemoteRecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
