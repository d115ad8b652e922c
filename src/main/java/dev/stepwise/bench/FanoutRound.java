package dev.stepwise.bench;

import java.util.List;

/**
 * One round of a fan-out: how long its sockets took to set up and its work to run, every event's
 * commit→client latency, and how many sockets got wrong events.
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

  /**
   * A warm-up round the same size as the measured one, then the measured one: a server runs warm,
   * and until the path a fan-out takes is compiled the JIT takes a core of its own. Returns the
   * measured round, with wrong deliveries counted over both rounds.
   */
  static FanoutRound afterWarmUp(Runner round) throws Exception {
    FanoutRound warmUp = round.run();
    FanoutRound measured = round.run();
    return new FanoutRound(measured.setupSeconds, measured.seconds, measured.latencies,
        warmUp.incomplete + measured.incomplete, warmUp.wrong + measured.wrong);
  }

  Stats stats() {
    return Stats.of(latencies);
  }
}
