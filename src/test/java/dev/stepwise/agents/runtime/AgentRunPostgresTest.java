package dev.stepwise.agents.runtime;

import dev.stepwise.testing.TestDatabase;

class AgentRunPostgresTest extends AgentRunContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
