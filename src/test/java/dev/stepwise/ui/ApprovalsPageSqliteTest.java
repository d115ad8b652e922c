package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class ApprovalsPageSqliteTest extends ApprovalsPageContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
