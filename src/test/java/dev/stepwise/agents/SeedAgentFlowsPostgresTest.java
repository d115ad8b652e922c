package dev.stepwise.agents;

import dev.stepwise.testing.TestDatabase;

class SeedAgentFlowsPostgresTest extends SeedAgentFlowsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
