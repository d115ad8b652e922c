package dev.stepwise.store;

import dev.stepwise.testing.SmallDisk;
import dev.stepwise.testing.TestDatabase;

class DiskFullPostgresTest extends DiskFullContract {
  @Override
  TestDatabase databaseOn(SmallDisk disk) {
    return TestDatabase.postgresOn(disk.path());
  }

  /** The tablespace's directory must belong to the user the PostgreSQL server runs as. */
  @Override
  String diskOwner() {
    return "postgres";
  }
}
