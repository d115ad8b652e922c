package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class SshFaultsSqliteTest extends SshFaultsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
