package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class GroupCommitPostgresTest extends GroupCommitContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
