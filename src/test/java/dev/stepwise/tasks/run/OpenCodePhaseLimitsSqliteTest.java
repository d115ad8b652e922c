package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class OpenCodePhaseLimitsSqliteTest extends OpenCodePhaseLimitsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
