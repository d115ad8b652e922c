package dev.stepwise.store;

import dev.stepwise.testing.TestDatabase;

class KeptStatementsPostgresTest extends KeptStatementsContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
