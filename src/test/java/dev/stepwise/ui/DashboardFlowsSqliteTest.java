package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class DashboardFlowsSqliteTest extends DashboardFlowsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
