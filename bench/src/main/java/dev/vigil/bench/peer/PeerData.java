package dev.vigil.bench.peer;

import java.util.Random;

/**
 * The benchmark data set, identical to {@code RateSumBenchmark}'s: {@code series} counters
 * {@code x{job, instance, namespace, pod}}, one sample every 15 s for one hour (241 samples,
 * both ends included), increments drawn from {@code Random(1)} series after series.
 */
final class PeerData {
  static final long HOUR_MILLIS = 3_600_000;
  static final long SCRAPE_MILLIS = 15_000;
  static final int SAMPLES = (int) (HOUR_MILLIS / SCRAPE_MILLIS) + 1;

  final int series;
  /** values[s * SAMPLES + i]: series s at t0 + i * 15 s. */
  final double[] values;

  PeerData(int series) {
    this.series = series;
    this.values = new double[series * SAMPLES];
    Random r = new Random(1);
    for (int s = 0; s < series; s++) {
      double v = 0;
      for (int i = 0; i < SAMPLES; i++) {
        v += r.nextInt(100);
        values[s * SAMPLES + i] = v;
      }
    }
  }

  double value(int s, int i) {
    return values[s * SAMPLES + i];
  }

  /** Label pairs of series {@code s} without the metric name, in label-name order. */
  static String[] labels(int s) {
    return new String[] {"instance", "i-" + s, "job", "job-" + (s % 10),
        "namespace", "ns-" + (s % 50), "pod", "pod-" + s};
  }
}
