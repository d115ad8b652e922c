package dev.stepwise.ui;

import dev.stepwise.testing.TestDatabase;

class DashboardAccessPostgresTest extends DashboardAccessContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
