package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class BadInputPostgresTest extends BadInputContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
