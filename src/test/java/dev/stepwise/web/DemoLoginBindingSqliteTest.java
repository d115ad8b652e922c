package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class DemoLoginBindingSqliteTest extends DemoLoginBindingContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
