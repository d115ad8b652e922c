package dev.stepwise.web;

import dev.stepwise.testing.TestDatabase;

class PermissionMatrixSqliteTest extends PermissionMatrixContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
