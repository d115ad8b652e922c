package dev.stepwise.agents;

import dev.stepwise.testing.TestDatabase;

class AgentsApiSqliteTest extends AgentsApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
