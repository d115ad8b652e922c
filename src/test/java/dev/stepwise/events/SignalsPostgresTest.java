package dev.stepwise.events;

import dev.stepwise.testing.TestDatabase;

class SignalsPostgresTest extends SignalsContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
