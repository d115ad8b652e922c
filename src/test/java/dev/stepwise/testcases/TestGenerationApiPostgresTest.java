package dev.stepwise.testcases;

import dev.stepwise.testing.TestDatabase;

class TestGenerationApiPostgresTest extends TestGenerationApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
