package dev.vigil.bench.scrape;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One target's text exposition (format 0.0.4): {@code series} samples of kube-state-metrics and
 * cAdvisor-like families with 7 to 9 labels each, grouped by family with their {@code # HELP} and
 * {@code # TYPE} lines. Every value is a 10-digit integer whose digits sit at a known offset, so
 * {@link #advance} rewrites them in place for the next scrape (counters grow by a per-series rate,
 * gauges move) without rebuilding the body: the collectors never see the same body twice, and
 * the exporter's cost per scrape stays a few microseconds per thousand series.
 *
 * <p>Not thread-safe: the caller holds the body's lock while advancing and sending it.
 */
final class ExpositionBody {
  private static final int VALUE_DIGITS = 10;
  private static final long VALUE_BASE = 1_000_000_000L;

  /** name, type, help, label names after the shared pod labels. */
  private record Family(String name, String type, String help, String[] extra) {}

  private static final Family[] FAMILIES = {
      new Family("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds.",
          new String[] {"cpu"}),
      new Family("container_memory_working_set_bytes", "gauge", "Current working set in bytes.", new String[0]),
      new Family("container_network_receive_bytes_total", "counter", "Cumulative count of bytes received",
          new String[] {"interface"}),
      new Family("container_fs_reads_bytes_total", "counter", "Cumulative count of bytes read",
          new String[] {"device"}),
      new Family("kube_pod_container_status_restarts_total", "counter",
          "The number of container restarts per container.", new String[] {"uid"}),
      new Family("kube_pod_container_resource_requests", "gauge",
          "The number of requested request resource by a container.", new String[] {"resource", "unit"}),
      new Family("kube_pod_status_phase", "gauge", "The pods current phase.", new String[] {"phase", "uid"}),
      new Family("kube_pod_container_info", "gauge", "Information about a container in a pod.",
          new String[] {"image", "container_id"}),
  };
  private static final String[] RESOURCES = {"cpu", "memory", "ephemeral_storage", "nvidia_com_gpu"};
  private static final String[] PHASES = {"Pending", "Running", "Succeeded", "Failed", "Unknown"};

  private final byte[] bytes;
  private final int[] valueOffsets;
  private final boolean[] counter;
  private long scrapes;

  /** Builds the body of target {@code target} (its pods and node differ from other targets'). */
  ExpositionBody(int target, int series) {
    if (series < 1) {
      throw new IllegalArgumentException("series per target must be positive, got " + series);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(series * 260);
    valueOffsets = new int[series];
    counter = new boolean[series];
    StringBuilder line = new StringBuilder(400);
    int written = 0;
    for (int f = 0; f < FAMILIES.length && written < series; f++) {
      Family fam = FAMILIES[f];
      // The first families take the remainder, so every family appears once series >= 8.
      int count = series / FAMILIES.length + (f < series % FAMILIES.length ? 1 : 0);
      if (count == 0) {
        continue;
      }
      ascii(out, "# HELP " + fam.name() + " " + fam.help() + "\n# TYPE " + fam.name() + " " + fam.type() + "\n");
      for (int j = 0; j < count; j++, written++) {
        line.setLength(0);
        seriesLine(line, target, fam, j);
        ascii(out, line.toString());
        valueOffsets[written] = out.size();
        counter[written] = fam.type().equals("counter");
        ascii(out, Long.toString(VALUE_BASE + (written % 1000) * 1000L));
        out.write('\n');
      }
    }
    bytes = out.toByteArray();
  }

  /** {@code name{labels} } of the {@code j}-th series of a family; 16 containers share a pod. */
  private static void seriesLine(StringBuilder b, int target, Family fam, int j) {
    int variant = j % 4;
    int container = j / 4;
    int pod = container / 4;
    int deployment = pod % 97;
    String podName = "app-" + deployment + "-7d9f8b6c4-" + Integer.toString((target * 131_071 + pod) * 7919 + 12345, 36);
    b.append(fam.name()).append('{')
        .append("container=\"c").append(container % 4).append('"')
        .append(",namespace=\"ns-").append(pod % 23).append('"')
        .append(",node=\"ip-10-").append(target / 250).append('-').append(target % 250).append("-17.ec2.internal\"")
        .append(",pod=\"").append(podName).append('"');
    switch (fam.name()) {
      case "container_cpu_usage_seconds_total" -> b.append(",cpu=\"cpu").append(variant).append('"');
      case "container_network_receive_bytes_total" -> b.append(",interface=\"eth").append(variant).append('"');
      case "container_fs_reads_bytes_total" -> b.append(",device=\"/dev/nvme").append(variant).append("n1\"");
      case "kube_pod_container_resource_requests" -> b.append(",resource=\"").append(RESOURCES[variant])
          .append("\",unit=\"").append(variant == 1 ? "byte" : "core").append('"');
      case "kube_pod_status_phase" -> b.append(",phase=\"").append(PHASES[variant]).append('"');
      case "kube_pod_container_info" -> b.append(",image=\"registry.example.com/team/app-").append(deployment)
          .append(":1.").append(variant).append(".3\",container_id=\"containerd://")
          .append(Long.toHexString((long) (target + 1) * 0x9E3779B97F4A7C15L ^ j)).append('"');
      default -> b.append(",replica=\"r").append(variant).append('"');
    }
    if (fam.extra().length > 0 && (fam.extra()[fam.extra().length - 1].equals("uid"))) {
      b.append(",uid=\"").append(Integer.toHexString(target * 65_537 + pod)).append("-5f1c-4a3e-9d7b-0242ac110002\"");
    }
    b.append(",id=\"/kubepods/burstable/pod").append(pod).append("/c").append(container).append("\"} ");
  }

  /** Moves every value to the next scrape's: counters by 1 to 8 per scrape, gauges up and down. */
  void advance() {
    scrapes++;
    for (int i = 0; i < valueOffsets.length; i++) {
      long v = counter[i]
          ? VALUE_BASE + (i % 1000) * 1000L + scrapes * (1 + (i & 7))
          : VALUE_BASE + (i % 1000) * 1000L + ((scrapes * 31 + i) % 997);
      int end = valueOffsets[i] + VALUE_DIGITS;
      for (int p = end - 1; p >= valueOffsets[i]; p--) {
        bytes[p] = (byte) ('0' + v % 10);
        v /= 10;
      }
    }
  }

  byte[] bytes() {
    return bytes;
  }

  int series() {
    return valueOffsets.length;
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
