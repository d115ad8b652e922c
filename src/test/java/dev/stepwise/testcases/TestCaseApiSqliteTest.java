package dev.stepwise.testcases;

import dev.stepwise.testing.TestDatabase;

class TestCaseApiSqliteTest extends TestCaseApiContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
