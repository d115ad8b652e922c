package dev.stepwise.store;

import dev.stepwise.testing.TestDatabase;

class KeptStatementsSqliteTest extends KeptStatementsContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
