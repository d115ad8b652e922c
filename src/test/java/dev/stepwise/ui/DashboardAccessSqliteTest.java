package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class DashboardAccessSqliteTest extends DashboardAccessContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
