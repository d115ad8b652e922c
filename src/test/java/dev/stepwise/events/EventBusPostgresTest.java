package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class EventBusPostgresTest extends EventBusContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
