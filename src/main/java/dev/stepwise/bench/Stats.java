package dev.stepwise.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a set of measurements, in milliseconds. */
record Stats(double p50, double p95, double p99, double max, int count) {
  static Stats of(List<Double> samples) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return new Stats(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.getLast(), sorted.size());
  }

  /** The middle of the samples (the upper one of the two middles of an even count): a drain's rounds. */
  static double median(List<Double> samples) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static double at(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
