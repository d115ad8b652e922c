package dev.stepwise.agents.runtime;

import dev.stepwise.testing.TestDatabase;

class AgentRunSqliteTest extends AgentRunContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
