package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class JwtAttackSqliteTest extends JwtAttackContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
