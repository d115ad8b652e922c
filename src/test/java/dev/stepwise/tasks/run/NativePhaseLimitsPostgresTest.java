package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class NativePhaseLimitsPostgresTest extends NativePhaseLimitsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
