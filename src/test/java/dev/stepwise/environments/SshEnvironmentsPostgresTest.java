package dev.stepwise.environments;

import dev.stepwise.testing.TestDatabase;

class SshEnvironmentsPostgresTest extends SshEnvironmentsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
