package dev.stepwise.auth;

import dev.stepwise.testing.TestDatabase;

class JwtAttackPostgresTest extends JwtAttackContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
