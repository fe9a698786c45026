package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import java.util.SplittableRandom;

/**
 * Deterministic Kubernetes-like label sets of 10 labels, as a kube-prometheus scrape produces
 * them: {@code pods} targets × {@code metrics} metric names; per target the pod name, its IP
 * and the node are shared by all its series, so strings repeat as they do in a real cluster.
 * Series {@code i} is metric {@code i % metrics} of pod {@code i / metrics}.
 */
final class KubeSeries {
  private static final String[] JOBS = {"kubelet", "node-exporter", "kube-state-metrics",
      "apiserver", "coredns", "app"};

  private KubeSeries() {}

  static Labels labels(int i, int metrics) {
    int pod = i / metrics;
    int metric = i % metrics;
    int ns = pod % 40;
    int deployment = pod % 400;
    String job = JOBS[pod % JOBS.length];
    return Labels.of(
        "__name__", "metric_" + metric + "_total",
        "container", "container-" + (deployment % 7),
        "endpoint", "http-metrics",
        "instance", "10." + ((pod >>> 16) & 255) + "." + ((pod >>> 8) & 255) + "." + (pod & 255)
            + ":8080",
        "job", job,
        "namespace", "namespace-" + ns,
        "node", "ip-10-0-" + (pod % 200) + "-17.ec2.internal",
        "pod", "deployment-" + deployment + "-7d9f8b6c4-" + Integer.toString(pod * 7919 + 12345, 36),
        "prometheus", "monitoring/k8s",
        "service", "service-" + deployment);
  }

  /** The kind of a series' values in the bytes-per-sample data set: 0 counter, 1 gauge, 2 constant. */
  static int kind(int series) {
    return series % 3;
  }

  /**
   * Value of sample {@code k} of series {@code s} of the realistic data set: counters grow by
   * a random integer rate (requests), gauges wander with noise around a level (memory bytes
   * with 3 significant decimals, CPU ratio), constant series never change (info / limits).
   */
  static final class Values {
    private final SplittableRandom random;
    private final int kind;
    private double v;

    Values(int series) {
      this.random = new SplittableRandom(series * 31L + 7);
      this.kind = kind(series);
      this.v = switch (kind) {
        case 0 -> random.nextInt(1000);
        case 1 -> 100 + random.nextInt(900);
        default -> 1 << (series % 20);
      };
    }

    double next() {
      switch (kind) {
        case 0 -> v += random.nextInt(50);
        case 1 -> v = Math.round((v + random.nextGaussian() * 5) * 1000) / 1000.0;
        default -> { }
      }
      return v;
    }
  }
}
