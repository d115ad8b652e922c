package dev.stepwise.store;

import dev.stepwise.testing.SmallDisk;
import dev.stepwise.testing.TestDatabase;

class DiskFullSqliteTest extends DiskFullContract {
  @Override
  TestDatabase databaseOn(SmallDisk disk) {
    return TestDatabase.sqliteIn(disk.path());
  }

  @Override
  String diskOwner() {
    return null;
  }
}
