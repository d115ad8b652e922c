package dev.stepwise.agents;

import dev.stepwise.testing.TestDatabase;

class AgentsApiPostgresTest extends AgentsApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
