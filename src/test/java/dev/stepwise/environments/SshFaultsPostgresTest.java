package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class SshFaultsPostgresTest extends SshFaultsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
