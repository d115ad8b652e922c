package dev.stepwise.executions;

import dev.stepwise.testing.TestDatabase;

class OutputAndSecretsPostgresTest extends OutputAndSecretsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
