package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class OpenCodePhaseLimitsPostgresTest extends OpenCodePhaseLimitsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
