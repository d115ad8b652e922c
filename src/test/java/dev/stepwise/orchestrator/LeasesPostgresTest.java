package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class LeasesPostgresTest extends LeasesContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
