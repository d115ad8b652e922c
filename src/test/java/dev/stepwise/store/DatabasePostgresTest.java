package dev.stepwise.store;

import dev.stepwise.testing.TestDatabase;

class DatabasePostgresTest extends DatabaseContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
