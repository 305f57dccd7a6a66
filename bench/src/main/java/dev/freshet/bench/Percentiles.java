package dev.freshet.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample: the smallest value at or above the given share of it. */
final class Percentiles {
  private final double[] sorted;

  Percentiles(Collection<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values to take percentiles of");
    }
    this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** The {@code p}-th percentile, {@code 0 < p <= 100}. */
  double at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  double max() {
    return sorted[sorted.length - 1];
  }

  int count() {
    return sorted.length;
  }

  double[] sorted() {
    return Arrays.copyOf(sorted, sorted.length);
  }
}
