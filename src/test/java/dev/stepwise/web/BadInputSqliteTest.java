package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class BadInputSqliteTest extends BadInputContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
