package dev.stepwise.runners;

import dev.stepwise.testing.TestDatabase;

class StepProcessesPostgresTest extends StepProcessesContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
