package dev.stepwise.orchestrator;

import dev.stepwise.testing.TestDatabase;

class QueryPlansSqliteTest extends QueryPlansContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
