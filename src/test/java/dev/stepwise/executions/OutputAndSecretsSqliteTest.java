package dev.stepwise.executions;

import dev.stepwise.testing.TestDatabase;

class OutputAndSecretsSqliteTest extends OutputAndSecretsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
