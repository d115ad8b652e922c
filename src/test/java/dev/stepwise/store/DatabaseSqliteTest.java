package dev.stepwise.store;

import dev.stepwise.testing.TestDatabase;

class DatabaseSqliteTest extends DatabaseContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
