package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class SignalsSqliteTest extends SignalsContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
