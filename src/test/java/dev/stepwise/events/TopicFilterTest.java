package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which events a filter lets through; conversations only to those who name them. */
class TopicFilterTest {
  private static Event event(String type, String topic) {
    return new Event(1, type, topic, Instant.EPOCH, "{}");
  }

  @Test
  void a_stream_without_topics_leaves_conversations_out() {
    TopicFilter unfiltered = TopicFilter.fromQuery(null);
    assertThat(unfiltered.matches(event("agent_completed", "thread:7"))).isFalse();
    assertThat(unfiltered.matches(event("step.output", "execution:7"))).isTrue();
    assertThat(unfiltered.sql().condition()).isEqualTo("topic NOT LIKE 'thread:%'");
    TopicFilter named = TopicFilter.fromQuery("thread:7,executions");
    assertThat(named.matches(event("agent_completed", "thread:7"))).isTrue();
    assertThat(named.threadIds()).containsExactly(7L);
    assertThat(TopicFilter.all().matches(event("agent_completed", "thread:7"))).isTrue();
  }
}
