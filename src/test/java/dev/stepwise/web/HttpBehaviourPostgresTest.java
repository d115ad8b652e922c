package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class HttpBehaviourPostgresTest extends HttpBehaviourContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
