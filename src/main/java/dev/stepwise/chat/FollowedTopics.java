package dev.stepwise.chat;

import dev.stepwise.events.Event;
import dev.stepwise.events.Subscription;
import dev.stepwise.events.TopicFilter;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a socket follows and what it has been sent: its topics, each with the event id after which
 * its events have been sent, and a cursor such that every event up to it was sent or is not
 * followed. Adding topics merges what the bus had queued for the topics followed already with the
 * new topics' past from the log, by id, each event once. Owned by the socket's pump thread: not
 * thread-safe.
 */
final class FollowedTopics {
  /** Hands the log's matching events in ({@code afterId}, {@code upToId}] to a sink, in id order, until it stops. */
  @FunctionalInterface
  interface Log {
    void replay(long afterId, long upToId, TopicFilter filter, Predicate<Event> sink);
  }

  private final Function<TopicFilter, Subscription.Followed> refilter;
  private final Log log;
  private final Predicate<Event> out;
  private final Map<String, Long> topics = new LinkedHashMap<>();
  /** Topics followed only for a run this socket started: left when the run's execution ends. */
  private final Set<String> runTopics = new HashSet<>();
  /** Run topics whose execution ended: left once what is being sent is sent. */
  private final Set<String> endedRuns = new HashSet<>();
  private TopicFilter following;
  private long cursor;
  /** While new topics' past is replayed, the last id of it handled (else -1): a resume must start there. */
  private long replayedTo = -1;

  /**
   * @param refilter hands the bus subscription a new filter (see {@link Subscription#follow})
   * @param out sends an event to the socket; false once the socket is gone
   * @param cursor the log's last id when the socket's subscription began
   */
  FollowedTopics(Function<TopicFilter, Subscription.Followed> refilter, Log log, Predicate<Event> out, long cursor) {
    this.refilter = refilter;
    this.log = log;
    this.out = out;
    this.cursor = cursor;
  }

  int size() {
    return topics.size();
  }

  /** How many of {@code wanted} are not followed yet. */
  int unfollowed(List<String> wanted) {
    return (int) wanted.stream().filter(t -> !topics.containsKey(t)).distinct().count();
  }

  List<String> all() {
    return List.copyOf(topics.keySet());
  }

  /** Where a client told to reconnect resumes without missing anything. */
  long resumeAfter() {
    return replayedTo < 0 ? cursor : Math.min(cursor, replayedTo);
  }

  /**
   * Where new topics subscribed to without {@code since} start: after {@code arrivedAfter}, the last
   * event delivered when the subscribe came, but never before what the socket was sent or passed.
   */
  long liveFrom(long arrivedAfter) {
    return Math.max(arrivedAfter, cursor);
  }

  /** A topic followed for a run this socket started, to be left when the run's execution ends. */
  void followForRun(String runTopic) {
    if (!topics.containsKey(runTopic)) runTopics.add(runTopic);
  }

  /**
   * Follows {@code wanted} too, with the past of those not followed yet replayed from {@code since}
   * (none when it is negative: from now on). The topics already followed keep coming from the
   * queue, merged by id with the new ones' past; the cursor follows what was sent, so a catch-up cut
   * short leaves {@link #resumeAfter} where a resume misses nothing.
   *
   * @return the id up to which everything has been sent, or -1 when the catch-up did not finish
   *     (the socket is gone, or its subscription overflowed)
   */
  long add(List<String> wanted, long since, BooleanSupplier open) {
    List<FollowedSince> already = topics.entrySet().stream()
        .map(t -> new FollowedSince(TopicFilter.of(t.getKey()), t.getValue())).toList();
    List<String> fresh = wanted.stream().filter(t -> !topics.containsKey(t)).distinct().toList();
    fresh.forEach(topic -> topics.put(topic, Long.MAX_VALUE)); // followed from the point set below
    Subscription.Followed followed = follow();
    if (followed == null) return -1;
    long upTo = Math.max(cursor, followed.settled());
    Deque<Event> queued = new ArrayDeque<>(followed.queued());
    boolean replay = since >= 0 && since < upTo && !fresh.isEmpty();
    if (replay) {
      replayedTo = since;
      boolean[] whole = {true};
      log.replay(since, upTo, TopicFilter.parse(fresh), event -> {
        whole[0] = open.getAsBoolean() && sendQueued(queued, event.id());
        if (!whole[0]) return false;
        if (!sentBefore(already, event)) { // else sent already, or queued and sent in its turn
          whole[0] = send(event);
          if (whole[0]) cursor = Math.max(cursor, event.id());
        }
        if (whole[0]) replayedTo = event.id();
        return whole[0];
      });
      if (!whole[0]) return -1;
      replayedTo = -1;
    }
    if (!sendQueued(queued, Long.MAX_VALUE) || !open.getAsBoolean()) return -1;
    cursor = Math.max(cursor, upTo);
    long from = replay ? since : cursor;
    fresh.forEach(topic -> topics.put(topic, from));
    return cursor;
  }

  /** Follows {@code unwanted} no more: what was queued of the topics still followed is sent. */
  void leave(Collection<String> unwanted) {
    unwanted.forEach(topics::remove);
    Subscription.Followed followed = follow();
    if (followed != null) sendQueued(new ArrayDeque<>(followed.queued()), Long.MAX_VALUE);
  }

  /** Leaves the topics of the runs whose execution ended, once their last event was sent. */
  void leaveEndedRuns() {
    if (endedRuns.isEmpty()) return;
    List<String> ended = List.copyOf(endedRuns);
    endedRuns.clear();
    runTopics.removeAll(ended);
    leave(ended);
  }

  /** An event from the queue: sent once, if after the cursor and still followed; false once the socket is gone. */
  boolean deliver(Event event) {
    if (event.id() <= cursor) return true;
    cursor = event.id();
    return following == null || !following.matches(event) || send(event);
  }

  /** A topic followed, and the id after which its events have been sent. */
  private record FollowedSince(TopicFilter topic, long from) {}

  /** Whether a topic followed before this subscribe has sent {@code event} already (or has it queued). */
  private static boolean sentBefore(List<FollowedSince> already, Event event) {
    for (FollowedSince followed : already) {
      if (event.id() > followed.from() && followed.topic().matches(event)) return true;
    }
    return false;
  }

  /**
   * Hands the topics to the bus subscription, so that the bus queues only their events, and
   * returns what it had queued under the old ones; null once it overflowed (the pump then tells
   * the client where to resume).
   */
  private Subscription.Followed follow() {
    // an empty set follows nothing (an empty filter would match everything)
    following = topics.isEmpty() ? null : TopicFilter.parse(List.copyOf(topics.keySet()));
    return refilter.apply(following == null ? TopicFilter.none() : following);
  }

  /** Delivers, in order, the queued events below {@code before}. */
  private boolean sendQueued(Deque<Event> queued, long before) {
    while (!queued.isEmpty() && queued.peekFirst().id() < before) {
      if (!deliver(queued.pollFirst())) return false;
    }
    return true;
  }

  /** Sends one event of the log; a run this socket started is left once its execution ends. */
  private boolean send(Event event) {
    if (event.type().equals("execution.completed") && runTopics.contains(event.topic())) endedRuns.add(event.topic());
    return out.test(event);
  }
}
