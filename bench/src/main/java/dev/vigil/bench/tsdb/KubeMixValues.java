package dev.vigil.bench.tsdb;

import java.util.SplittableRandom;

/**
 * Values of the "kube mix" data set for bytes-per-sample measurements, modelled on what a
 * Kubernetes cluster's scrape returns. Series {@code i} has kind {@code i % 10}:
 *
 * <ul>
 *   <li>0-4 (50%) counters with integer increments: Poisson-distributed events per scrape at a
 *       per-series rate drawn log-uniformly from 0.01 to 100 (error counters that rarely move
 *       up to busy request counters), reset to 0 with probability 1/40000 per scrape (restarts);
 *   <li>5 (10%) memory bytes: page-granular (4096 B) random walk, about 20 pages per scrape;
 *   <li>6 (10%) a load-like gauge with 2 decimals: mean-reverting noise, sd 0.05 per scrape;
 *   <li>7 (10%) an integer gauge (goroutines, queue length): level + Gaussian noise of sd 3;
 *   <li>8-9 (20%) constant series (info metrics, {@code up}, limits and requests).
 * </ul>
 *
 * Deterministic per series, so Vigil and the OpenMetrics file for Prometheus see the same data.
 */
final class KubeMixValues {
  private final SplittableRandom random;
  private final int kind;
  private final double rate;
  private final double target;
  private double v;
  private long pages;

  KubeMixValues(int series) {
    random = new SplittableRandom(series * 7919L + 17);
    kind = series % 10;
    rate = Math.pow(10, random.nextDouble(-2, 2));
    target = random.nextDouble(0.1, 4);
    pages = 10_000 + random.nextInt(190_000);
    v = switch (kind) {
      case 0, 1, 2, 3, 4 -> random.nextInt(1_000_000);
      case 5 -> pages * 4096.0;
      case 6 -> Math.round(target * 100) / 100.0;
      case 7 -> 20 + random.nextInt(500);
      case 8 -> 1;
      default -> (1 << (series % 7)) * 0.25;
    };
  }

  /** 0-4 counter, 5-7 gauge, 8-9 constant (see the class comment). */
  static String kindName(int series) {
    int k = series % 10;
    return k < 5 ? "counter" : k < 8 ? "gauge" : "constant";
  }

  double next() {
    switch (kind) {
      case 0, 1, 2, 3, 4 -> {
        if (random.nextInt(40_000) == 0) {
          v = 0;
        } else {
          v += poisson(rate);
        }
      }
      case 5 -> {
        pages = Math.max(1, pages + Math.round(random.nextGaussian() * 20));
        v = pages * 4096.0;
      }
      case 6 -> {
        double x = 0.9 * v + 0.1 * target + random.nextGaussian() * 0.05;
        v = Math.max(0, Math.round(x * 100) / 100.0);
      }
      case 7 -> v = Math.max(0, Math.round(v + random.nextGaussian() * 3 - (v - 250) * 0.01));
      default -> { }
    }
    return v;
  }

  private long poisson(double lambda) {
    if (lambda >= 30) {
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian()));
    }
    double l = Math.exp(-lambda);
    long k = 0;
    double p = random.nextDouble();
    while (p > l) {
      k++;
      p *= random.nextDouble();
    }
    return k;
  }
}
