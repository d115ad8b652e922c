package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class PermissionMatrixPostgresTest extends PermissionMatrixContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
