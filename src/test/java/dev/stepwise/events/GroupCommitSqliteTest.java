package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class GroupCommitSqliteTest extends GroupCommitContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
