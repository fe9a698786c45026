package dev.vigil.bench.ingest;

/**
 * Deterministic Kubernetes-like series of 10 labels, as a kube-prometheus scrape produces them
 * (same scheme as the TSDB benchmarks' {@code KubeSeries}): series {@code i} is metric
 * {@code i % metricsPerPod} of pod {@code i / metricsPerPod}; a pod's name, IP, node, namespace
 * and job are shared by all its series, so strings repeat as in a real cluster and a batch of
 * consecutive series holds a few whole targets, as a Prometheus remote-write shard sends them.
 *
 * <p>Label names are returned sorted (remote write requires it), {@code __name__} first.
 */
final class KubeSeriesSet {
  static final int LABELS = 10;
  private static final String[] JOBS = {"kubelet", "node-exporter", "kube-state-metrics",
      "apiserver", "coredns", "app"};
  static final String[] NAMES = {"__name__", "container", "endpoint", "instance", "job",
      "namespace", "node", "pod", "prometheus", "service"};

  private final int metricsPerPod;

  KubeSeriesSet(int metricsPerPod) {
    if (metricsPerPod <= 0) {
      throw new IllegalArgumentException("metricsPerPod must be positive: " + metricsPerPod);
    }
    this.metricsPerPod = metricsPerPod;
  }

  /** Writes the label values of series {@code i} into {@code values}, in {@link #NAMES} order. */
  void values(int i, String[] values) {
    int pod = i / metricsPerPod;
    int metric = i % metricsPerPod;
    int deployment = pod % 400;
    values[0] = kind(i) == 0 ? "metric_" + metric + "_total" : "metric_" + metric;
    values[1] = "container-" + (deployment % 7);
    values[2] = "http-metrics";
    values[3] = "10." + ((pod >>> 16) & 255) + "." + ((pod >>> 8) & 255) + "." + (pod & 255)
        + ":8080";
    values[4] = JOBS[pod % JOBS.length];
    values[5] = "namespace-" + (pod % 40);
    values[6] = "ip-10-0-" + (pod % 200) + "-17.ec2.internal";
    values[7] = "deployment-" + deployment + "-7d9f8b6c4-"
        + Integer.toString(pod * 7919 + 12345, 36);
    values[8] = "monitoring/k8s";
    values[9] = "service-" + deployment;
  }

  /** 0: counter, 1: gauge, 2: constant (info or limit series). */
  static int kind(int series) {
    return series % 3;
  }

  /**
   * Value of series {@code s} at scrape {@code k}: counters grow by a per-series rate plus
   * jitter, gauges wander around a level with 3 decimals, constants never change, so the
   * stores' XOR chunks see realistic bit patterns.
   */
  static double value(int s, int k) {
    long h = mix(s * 0x9E3779B97F4A7C15L + k);
    return switch (kind(s)) {
      case 0 -> (s % 1000) + (double) k * (1 + s % 50) + (h & 7);
      case 1 -> 100 + s % 900 + ((h >>> 8) % 10_000) / 1000.0;
      default -> 1 << (s % 20);
    };
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
