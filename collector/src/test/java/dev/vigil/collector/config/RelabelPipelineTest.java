package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.relabel.RelabelConfig;
import dev.vigil.collector.relabel.Relabeler;
import dev.vigil.model.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "kubernetes" rule set of Prometheus's BenchmarkRelabel, read from YAML and applied to its
 * pod labels: config decoding and the relabel engine together. hashmod of the address is 1
 * (md5("10.132.183.40:80"), last 8 bytes, mod 3), so the final keep drops the target.
 */
class RelabelPipelineTest {
  private static final String RULES = """
      scrape_configs:
        - job_name: kubernetes-pods
          relabel_configs:
            - source_labels: [__meta_kubernetes_pod_container_port_name]
              regex: .*-metrics
              action: keep
            - source_labels: [__meta_kubernetes_pod_label_name]
              action: drop
              regex: ""
            - source_labels: [__meta_kubernetes_pod_phase]
              regex: Succeeded|Failed
              action: drop
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
              regex: "false"
              action: drop
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
              target_label: __scheme__
              regex: (https?)
              replacement: $1
              action: replace
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
              target_label: __metrics_path__
              regex: (.+)
              replacement: $1
              action: replace
            - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
              target_label: __address__
              regex: (.+?)(\\:\\d+)?;(\\d+)
              replacement: $1:$3
              action: replace
            - regex: __meta_kubernetes_pod_annotation_prometheus_io_param_(.+)
              replacement: __param_$1
              action: labelmap
            - regex: __meta_kubernetes_pod_label_prometheus_io_label_(.+)
              action: labelmap
            - source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_pod_label_name]
              separator: /
              target_label: job
              replacement: $1
              action: replace
            - source_labels: [__meta_kubernetes_namespace]
              target_label: namespace
              action: replace
            - source_labels: [__meta_kubernetes_pod_name]
              target_label: pod
            - source_labels: [__meta_kubernetes_pod_container_name]
              target_label: container
            - source_labels: [__meta_kubernetes_pod_name, __meta_kubernetes_pod_container_name, __meta_kubernetes_pod_container_port_name]
              separator: ':'
              target_label: instance
            - target_label: cluster
              replacement: dev-us-central-0
            - source_labels: [__meta_kubernetes_namespace]
              regex: hosted-grafana
              action: drop
            - source_labels: [__address__]
              target_label: __tmp_hash
              modulus: 3
              action: hashmod
            - source_labels: [__tmp_hash]
              regex: ^0$
              action: keep
            - regex: __tmp_hash
              action: labeldrop
      """;

  private static final Labels POD = Labels.of(
      "__address__", "10.132.183.40:80",
      "__meta_kubernetes_namespace", "loki-boltdb-shipper",
      "__meta_kubernetes_pod_container_name", "promtail",
      "__meta_kubernetes_pod_container_port_name", "http-metrics",
      "__meta_kubernetes_pod_label_name", "promtail-loki-boltdb-shipper",
      "__meta_kubernetes_pod_name", "promtail-loki-boltdb-shipper-jgtr7",
      "__meta_kubernetes_pod_phase", "Running",
      "__metrics_path__", "/metrics",
      "__scheme__", "http",
      "job", "kubernetes-pods");

  @Test
  void kubernetesBenchmarkRules() {
    List<RelabelConfig> rules = ConfigLoader.load(RULES).scrapeConfigs().get(0).relabelConfigs();
    assertThat(rules).hasSize(19);
    Labels beforeKeep = Relabeler.process(POD, rules.subList(0, 17));
    assertThat(beforeKeep).isEqualTo(POD.toBuilder()
        .set("job", "loki-boltdb-shipper/promtail-loki-boltdb-shipper")
        .set("namespace", "loki-boltdb-shipper")
        .set("pod", "promtail-loki-boltdb-shipper-jgtr7")
        .set("container", "promtail")
        .set("instance", "promtail-loki-boltdb-shipper-jgtr7:promtail:http-metrics")
        .set("cluster", "dev-us-central-0")
        .set("__tmp_hash", "1")
        .build());
    assertThat(Relabeler.process(POD, rules)).isNull();
  }
}
