package dev.stepwise.events;

import dev.stepwise.web.Json;
import java.time.Instant;

/**
 * One entry of the durable event log (API.md §8). {@code data} is kept as JSON text so that an
 * event fanned out to many subscribers is serialized once. Immutable and thread-safe.
 */
public final class Event {
  private final long id;
  private final String type;
  private final String topic;
  private final Instant timestamp;
  private final String dataJson;
  private volatile String json;

  public Event(long id, String type, String topic, Instant timestamp, String dataJson) {
    this.id = id;
    this.type = type;
    this.topic = topic;
    this.timestamp = timestamp;
    this.dataJson = dataJson;
  }

  public long id() { return id; }

  public String type() { return type; }

  public String topic() { return topic; }

  public Instant timestamp() { return timestamp; }

  public String dataJson() { return dataJson; }

  /** {@code {id, type, topic, timestamp, data}} as JSON. */
  public String toJson() {
    String cached = json;
    if (cached == null) {
      cached = "{\"id\":" + id + ",\"type\":" + quote(type) + ",\"topic\":" + quote(topic)
          + ",\"timestamp\":" + quote(timestamp.toString()) + ",\"data\":" + dataJson + "}";
      json = cached;
    }
    return cached;
  }

  private static String quote(String text) {
    return new String(Json.write(text), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Event[" + id + " " + type + " " + topic + "]";
  }
}
