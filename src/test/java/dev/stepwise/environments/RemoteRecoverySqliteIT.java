package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class RemoteRecoverySqliteIT extends RemoteRecoveryContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
