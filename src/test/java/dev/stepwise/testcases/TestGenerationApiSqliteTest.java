package dev.stepwise.testcases;

import dev.stepwise.testing.TestDatabase;

class TestGenerationApiSqliteTest extends TestGenerationApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
