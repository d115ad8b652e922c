package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class QueryPlansPostgresTest extends QueryPlansContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
