package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class HttpBehaviourSqliteTest extends HttpBehaviourContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
