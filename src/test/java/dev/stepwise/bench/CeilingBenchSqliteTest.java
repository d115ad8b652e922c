package dev.stepwise.bench;

import dev.stepwise.testing.TestDatabase;

class CeilingBenchSqliteTest extends CeilingBenchContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
