package dev.stepwise.chat;

import dev.stepwise.testing.TestDatabase;

class WebSocketGatewaySqliteTest extends WebSocketGatewayContract {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.sqlite();
  }
}
