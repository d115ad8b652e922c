package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class SshEnvironmentsSqliteTest extends SshEnvironmentsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
