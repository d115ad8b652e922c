package dev.stepwise.testcases;

import dev.stepwise.testing.TestDatabase;

class TestCaseApiPostgresTest extends TestCaseApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
