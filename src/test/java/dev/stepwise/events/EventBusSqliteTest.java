package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class EventBusSqliteTest extends EventBusContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
