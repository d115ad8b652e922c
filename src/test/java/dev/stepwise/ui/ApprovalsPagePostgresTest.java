package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class ApprovalsPagePostgresTest extends ApprovalsPageContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
