package dev.stepwise.agents;

import dev.stepwise.testing.TestDatabase;

class SeedAgentFlowsSqliteTest extends SeedAgentFlowsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
