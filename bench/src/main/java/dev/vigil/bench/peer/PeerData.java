package dev.vigil.bench.peer;

import java.util.Random;

/**
 * The benchmark data set, identical to {@code RateSumBenchmark}'s for one hour: {@code series}
 * counters {@code x{job, instance, namespace, pod}}, one sample every 15 s for {@code hours}
 * (241 samples an hour, both ends included), increments drawn from {@code Random(1)} series
 * after series.
 */
final class PeerData {
  static final long HOUR_MILLIS = 3_600_000;
  static final long SCRAPE_MILLIS = 15_000;

  final int series;
  /** Samples per series. */
  final int samples;
  /** values[s * samples + i]: series s at t0 + i * 15 s. */
  final double[] values;

  PeerData(int series, int hours) {
    this.series = series;
    this.samples = (int) (hours * HOUR_MILLIS / SCRAPE_MILLIS) + 1;
    this.values = new double[Math.multiplyExact(series, samples)];
    Random r = new Random(1);
    for (int s = 0; s < series; s++) {
      double v = 0;
      for (int i = 0; i < samples; i++) {
        v += r.nextInt(100);
        values[s * samples + i] = v;
      }
    }
  }

  double value(int s, int i) {
    return values[s * samples + i];
  }

  /** Label pairs of series {@code s} without the metric name, in label-name order. */
  static String[] labels(int s) {
    return new String[] {"instance", "i-" + s, "job", "job-" + (s % 10),
        "namespace", "ns-" + (s % 50), "pod", "pod-" + s};
  }
}
