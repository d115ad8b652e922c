package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class LeasesSqliteTest extends LeasesContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
