package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class DemoLoginBindingPostgresTest extends DemoLoginBindingContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
