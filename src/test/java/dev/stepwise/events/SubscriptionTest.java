package dev.stepwise.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A subscription whose filter changes: every event is matched against exactly one of its filters. */
class SubscriptionTest {
  private static Event event(long id, String topic) {
    return new Event(id, "execution.queued", topic, Instant.EPOCH, "{}");
  }

  @Test
  void events_handed_over_before_a_change_are_matched_against_the_old_filter_and_later_ones_against_the_new()
      throws Exception {
    var subscription = new Subscription(TopicFilter.none(), 10, () -> {});
    subscription.offer(event(1, "execution:1"));
    Subscription.Followed first = subscription.follow(TopicFilter.of("execution:1"));
    assertThat(first.settled()).isEqualTo(1);
    assertThat(first.queued()).as("nothing was followed before").isEmpty();

    subscription.offer(event(2, "execution:1"));
    subscription.offer(event(3, "execution:2"));
    subscription.wake();
    Subscription.Followed second = subscription.follow(TopicFilter.of("execution:2"));
    assertThat(second.settled()).isEqualTo(3);
    assertThat(second.queued()).as("what the old filter let through, without the wake").extracting(Event::id)
        .containsExactly(2L);

    subscription.offer(event(4, "execution:1"));
    subscription.offer(event(5, "execution:2"));
    assertThat(subscription.poll(Duration.ofSeconds(1))).as("the wake asked for before the change still wakes")
        .isNull();
    assertThat(subscription.poll(Duration.ofSeconds(1)).id()).isEqualTo(5);
    assertThat(subscription.poll(Duration.ZERO)).isNull();
  }

  @Test
  void an_overflowing_subscription_wakes_its_reader_and_hands_over_nothing_more() throws Exception {
    var subscription = new Subscription(TopicFilter.all(), 2, () -> {});
    for (long id = 1; id <= 3; id++) subscription.offer(event(id, "execution:1"));
    assertThat(subscription.overflowed()).isTrue();
    assertThat(subscription.poll(Duration.ofSeconds(30))).as("at once, not after the timeout").isNull();
    subscription.offer(event(4, "execution:1"));
    assertThat(subscription.follow(TopicFilter.all()).queued()).isEmpty();
  }
}
