package dev.stepwise.chat;

import dev.stepwise.testing.TestDatabase;

class WebSocketGatewayPostgresTest extends WebSocketGatewayContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.postgres();
  }
}
