package dev.stepwise.events;

import dev.stepwise.web.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An event made ready to append ({@link EventLog.Tx#append(NewEvent)}): its data already written as
 * JSON. Made before a transaction that may be shared ({@link EventLog#transactShared}), it leaves the
 * one thread that commits the group only the writing (and the reactions to it). Its data cannot be
 * changed through it, and its maker must not change what it put in.
 */
public record NewEvent(String type, String topic, Map<String, ?> data, String json) {
  public static NewEvent of(String type, String topic, Map<String, ?> data) {
    return new NewEvent(type, topic, java.util.Collections.unmodifiableMap(data),
        new String(Json.write(data), StandardCharsets.UTF_8));
  }
}
