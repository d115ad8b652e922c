package dev.stepwise.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.events.Event;
import dev.stepwise.events.Subscription;
import dev.stepwise.events.TopicFilter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket's catch-up when it adds topics, on a log and a bus queue written by hand: what the bus
 * had queued for the topics followed already and the new topics' past go out merged, each event
 * once, and a catch-up cut short tells the client where to resume.
 */
class FollowedTopicsTest {
  private final List<Event> log = new ArrayList<>();
  /** What the bus hands back at each change of filter, in turn. */
  private final Deque<Subscription.Followed> changes = new ArrayDeque<>();
  private final List<TopicFilter> filters = new ArrayList<>();
  private final List<Long> sent = new ArrayList<>();

  private FollowedTopics socketAt(long cursor) {
    return new FollowedTopics(filter -> {
      filters.add(filter);
      return changes.isEmpty() ? new Subscription.Followed(cursor, List.of()) : changes.poll();
    }, (after, upTo, filter, sink) -> {
      for (Event event : log) {
        if (event.id() > after && event.id() <= upTo && filter.matches(event) && !sink.test(event)) return;
      }
    }, event -> sent.add(event.id()), cursor);
  }

  private Event logged(long id, String type, String topic) {
    Event event = new Event(id, type, topic, Instant.EPOCH, "{}");
    log.add(event);
    return event;
  }

  @Test
  void an_event_both_replayed_and_queued_for_a_followed_topic_goes_out_once_in_its_turn() {
    FollowedTopics socket = socketAt(100);
    assertThat(socket.add(List.of("executions"), -1, () -> true)).isEqualTo(100);
    logged(60, "execution.queued", "execution:7");
    logged(70, "step.started", "execution:7");
    Event completed = logged(105, "execution.completed", "execution:7");
    // the bus queued the completion for `executions`; the socket has not taken it yet
    changes.add(new Subscription.Followed(105, List.of(completed)));

    assertThat(socket.add(List.of("execution:7"), 0, () -> true)).isEqualTo(105);
    assertThat(sent).as("the lifecycle before `executions` was followed is replayed too; the completion once")
        .containsExactly(60L, 70L, 105L);
  }

  @Test
  void a_live_subscribe_follows_from_when_it_arrived_however_long_the_socket_took_to_get_to_it() {
    FollowedTopics socket = socketAt(100);
    logged(101, "execution.queued", "execution:5");
    logged(102, "execution.started", "execution:5");
    // the subscribe arrived once the bus had delivered 102; 104 to 106 committed before the pump applied it
    long arrivedAfter = 102;
    logged(104, "step.started", "execution:5");
    logged(105, "execution.completed", "execution:5");
    logged(106, "execution.queued", "execution:6");
    changes.add(new Subscription.Followed(106, List.of()));

    assertThat(socket.liveFrom(arrivedAfter)).isEqualTo(102);
    assertThat(socket.add(List.of("executions"), socket.liveFrom(arrivedAfter), () -> true)).isEqualTo(106);
    assertThat(sent).as("what committed meanwhile, from the log; nothing from before").containsExactly(105L, 106L);
    assertThat(socketAt(100).liveFrom(50)).as("never before what the socket passed").isEqualTo(100);
  }

  @Test
  void the_topics_followed_already_keep_coming_merged_by_id_with_the_new_ones_past() {
    FollowedTopics socket = socketAt(100);
    socket.add(List.of("executions"), -1, () -> true);
    logged(102, "step.started", "execution:9");
    Event started = logged(103, "execution.started", "execution:8");
    logged(105, "step.completed", "execution:9");
    Event completed = logged(107, "execution.completed", "execution:8");
    logged(108, "step.output", "execution:9");
    changes.add(new Subscription.Followed(108, List.of(started, completed)));

    assertThat(socket.add(List.of("execution:9"), 0, () -> true)).isEqualTo(108);
    assertThat(sent).containsExactly(102L, 103L, 105L, 107L, 108L);
    assertThat(socket.deliver(completed)).isTrue();
    assertThat(sent).as("nothing twice").hasSize(5);
  }

  @Test
  void a_catch_up_that_fails_half_way_resumes_from_what_it_replayed_not_from_the_cursor() {
    FollowedTopics socket = socketAt(1000);
    logged(10, "step.started", "execution:5");
    logged(20, "step.completed", "execution:5");
    logged(30, "execution.completed", "execution:5");
    FollowedTopics failing = new FollowedTopics(filter -> new Subscription.Followed(1000, List.of()),
        (after, upTo, filter, sink) -> {
          for (Event event : log) {
            if (event.id() == 30) throw new IllegalStateException("the database went away");
            if (event.id() > after && !sink.test(event)) return;
          }
        }, event -> sent.add(event.id()), 1000);

    assertThatThrownBy(() -> failing.add(List.of("execution:5"), 0, () -> true)).hasMessageContaining("went away");
    assertThat(sent).containsExactly(10L, 20L);
    assertThat(failing.resumeAfter()).isEqualTo(20);
    assertThat(socket.resumeAfter()).isEqualTo(1000);
  }

  @Test
  void a_run_whose_completion_came_with_the_catch_up_is_left() {
    FollowedTopics socket = socketAt(50);
    socket.followForRun("execution:9");
    logged(40, "execution.queued", "execution:9");
    logged(45, "execution.completed", "execution:9");

    assertThat(socket.add(List.of("thread:3", "execution:9"), 30, () -> true)).isEqualTo(50);
    socket.leaveEndedRuns();
    assertThat(socket.all()).containsExactly("thread:3");
    assertThat(filters.getLast().toString()).isEqualTo("thread:3");
  }

  @Test
  void a_socket_gone_during_the_catch_up_is_not_acknowledged() {
    FollowedTopics socket = socketAt(100);
    logged(10, "step.started", "execution:5");
    assertThat(socket.add(List.of("execution:5"), 0, () -> false)).isEqualTo(-1);
    assertThat(sent).isEmpty();
  }
}
