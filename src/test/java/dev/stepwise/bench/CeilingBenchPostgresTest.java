package dev.stepwise.bench;

import dev.stepwise.testing.TestDatabase;

class CeilingBenchPostgresTest extends CeilingBenchContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
