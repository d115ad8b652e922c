package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class DashboardFlowsPostgresTest extends DashboardFlowsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
