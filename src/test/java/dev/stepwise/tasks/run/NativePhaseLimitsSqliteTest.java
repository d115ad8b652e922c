package dev.stepwise.tasks.run;

import dev.stepwise.testing.TestDatabase;

class NativePhaseLimitsSqliteTest extends NativePhaseLimitsContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
