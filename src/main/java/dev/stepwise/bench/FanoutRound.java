package dev.stepwise.bench;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One round of a fan-out: how long its sockets took to set up and its work to run, every event's
 * commit→client latency, and what went wrong.
 *
 * @param incomplete sockets that missed or reordered one of their own events
 * @param wrong events delivered to a socket that did not ask for them
 */
record FanoutRound(double setupSeconds, double seconds, List<Double> latencies, int incomplete, int wrong) {
  /** Runs one round. */
  @FunctionalInterface
  interface Runner {
    FanoutRound run() throws Exception;
  }

  /** How long a round's sockets may take to close. */
  private static final Duration CLOSING = Duration.ofSeconds(30);

  /**
   * A warm-up round the same size as the measured one, then the measured one: a server runs warm,
   * and until the path a fan-out takes is compiled the JIT takes a core of its own. Returns the
   * measured round, with {@code incomplete} and {@code wrong} counted over both rounds.
   */
  static FanoutRound afterWarmUp(Runner round) throws Exception {
    FanoutRound warmUp = round.run();
    FanoutRound measured = round.run();
    return new FanoutRound(measured.setupSeconds, measured.seconds, measured.latencies,
        warmUp.incomplete + measured.incomplete, warmUp.wrong + measured.wrong);
  }

  /**
   * Closes a round's sockets and their client, and waits until they are closed: the next round
   * does not share the machine with this one's connections winding down.
   */
  static void close(HttpClient http, List<WebSocket> open) throws Exception {
    CompletableFuture.allOf(open.stream().map(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
        .toArray(CompletableFuture[]::new)).get(CLOSING.toMillis(), TimeUnit.MILLISECONDS);
    http.shutdown();
    http.awaitTermination(CLOSING);
  }

  /**
   * Prints the round with {@code format}, which takes, in order: the sockets, the set-up's seconds,
   * the sockets again (one execution or run each), the run's seconds, the events delivered, the
   * incomplete sockets, the wrong events, and the latency's p50, p99 and max in milliseconds.
   */
  void print(String format, int sockets) {
    Stats stats = Stats.of(latencies);
    System.out.printf(Locale.ROOT, format, sockets, setupSeconds, sockets, seconds, latencies.size(), incomplete, wrong,
        stats.p50(), stats.p99(), stats.max());
  }
}
