package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.relabel.Action;
import dev.vigil.collector.relabel.NameValidation;
import dev.vigil.model.labels.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String GOOD = """
      global:
        scrape_interval: 15s
        external_labels:
          cluster: dev
        sample_limit: 1000
      rule_files: [rules.yml]
      scrape_configs:
        - job_name: prometheus
          static_configs:
            - targets: ['localhost:9090']
              labels: {env: test}
        - job_name: integrations/kubernetes/cadvisor
          scheme: https
          metrics_path: /metrics/cadvisor
          scrape_interval: 1m
          scrape_timeout: 30s
          honor_timestamps: false
          bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
          tls_config:
            ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
            insecure_skip_verify: true
          kubernetes_sd_configs:
            - role: node
              namespaces:
                names: [kube-system]
              selectors:
                - role: node
                  label: "kubernetes.io/os=linux"
          relabel_configs:
            - action: labelmap
              regex: __meta_kubernetes_node_label_(.+)
            - replacement: kubernetes.default.svc:443
              target_label: __address__
            - source_labels: [__meta_kubernetes_node_name]
              regex: (.+)
              replacement: /api/v1/nodes/$1/proxy/metrics/cadvisor
              target_label: __metrics_path__
            - regex:
              action: keep
              source_labels: [x]
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: container_(network_tcp_usage_total|tasks_state)
              action: drop
          params:
            module: [http_2xx]
          body_size_limit: 10MB
        - job_name: files
          file_sd_configs:
            - files: [targets/*.json]
              refresh_interval: 1m
          scrape_protocols: [PrometheusText0.0.4]
      remote_write:
        - url: http://mimir/api/v1/push
          headers: {X-Scope-OrgID: tenant1}
          queue_config: {max_shards: 10}
      """;

  @Test
  void loadsAGoodConfigWithDefaults() {
    PrometheusConfig c = ConfigLoader.load(GOOD);
    assertThat(c.global().scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.global().externalLabels()).isEqualTo(Labels.of("cluster", "dev"));
    assertThat(c.scrapeConfigs()).hasSize(3);

    ScrapeConfig p = c.scrapeConfigs().get(0);
    assertThat(p.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(p.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.metricsPath()).isEqualTo("/metrics");
    assertThat(p.scheme()).isEqualTo("http");
    assertThat(p.honorTimestamps()).isTrue();
    assertThat(p.sampleLimit()).isEqualTo(1000);
    assertThat(p.scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULT);
    assertThat(p.staticConfigs().get(0).labels()).isEqualTo(Labels.of("env", "test"));
    assertThat(p.httpClient().followRedirects()).isTrue();

    ScrapeConfig k = c.scrapeConfigs().get(1);
    assertThat(k.jobName()).isEqualTo("integrations/kubernetes/cadvisor");
    assertThat(k.scrapeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(k.honorTimestamps()).isFalse();
    assertThat(k.httpClient().authorization().credentialsFile()).endsWith("/token");
    assertThat(k.httpClient().tlsConfig().insecureSkipVerify()).isTrue();
    assertThat(k.kubernetesSdConfigs().get(0).role()).isEqualTo(KubernetesSdConfig.Role.NODE);
    assertThat(k.kubernetesSdConfigs().get(0).selectors().get(0).label()).isEqualTo("kubernetes.io/os=linux");
    assertThat(k.relabelConfigs()).extracting(r -> r.action())
        .containsExactly(Action.LABELMAP, Action.REPLACE, Action.REPLACE, Action.KEEP);
    assertThat(k.relabelConfigs().get(3).regex().matches("")).isTrue();
    assertThat(k.relabelConfigs().get(3).regex().matches("a")).isFalse();
    assertThat(k.metricRelabelConfigs().get(0).action()).isEqualTo(Action.DROP);
    assertThat(k.params()).containsEntry("module", List.of("http_2xx"));
    assertThat(k.bodySizeLimit()).isEqualTo(10L << 20);

    ScrapeConfig f = c.scrapeConfigs().get(2);
    assertThat(f.fileSdConfigs().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(f.scrapeProtocols()).containsExactly(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);

    assertThat(c.remoteWrite().get(0).headers()).containsEntry("X-Scope-OrgID", "tenant1");
    assertThat(c.remoteWrite().get(0).remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void emptyConfigIsAllDefaults() {
    PrometheusConfig c = ConfigLoader.load("");
    assertThat(c.global()).isEqualTo(GlobalConfig.DEFAULT);
    assertThat(c.scrapeConfigs()).isEmpty();
  }

  @Test
  void timeoutDefaultsToAtMostTheInterval() {
    PrometheusConfig c = ConfigLoader.load("""
        scrape_configs:
          - job_name: a
            scrape_interval: 5s
        """);
    assertThat(c.scrapeConfigs().get(0).scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void legacyValidationReachesRelabelRules() {
    assertThatThrownBy(() -> ConfigLoader.load("""
        global:
          metric_name_validation_scheme: legacy
        scrape_configs:
          - job_name: a
            relabel_configs:
              - target_label: "a.b"
                replacement: x
        """)).isInstanceOf(ConfigException.class)
        .hasMessage("6:9: \"a.b\" is invalid 'target_label' for replace action");
    PrometheusConfig c = ConfigLoader.load("""
        scrape_configs:
          - job_name: a
            relabel_configs:
              - target_label: "a.b"
                replacement: x
        """);
    assertThat(c.scrapeConfigs().get(0).metricNameValidation()).isEqualTo(NameValidation.UTF8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "`scrape_configs:\n  - job_name: a\n    scrape_intervall: 1m\n`|3:5: field scrape_intervall not found in type config.ScrapeConfig",
    "`global:\n  foo: 1\n`|2:3: field foo not found in type config.GlobalConfig",
    "`bogus: 1\n`|1:1: field bogus not found in type config.Config",
    "`scrape_configs:\n  - static_configs: []\n`|2:5: job_name is empty",
    "`scrape_configs:\n  - job_name: a\n  - job_name: a\n`|found multiple scrape configs with job name \"a\"",
    "`scrape_configs:\n  - job_name: a\n    scrape_interval: 1x\n`|3:22: not a valid duration string: \"1x\"",
    "`scrape_configs:\n  - job_name: a\n    scrape_interval: 10s\n    scrape_timeout: 20s\n`|4:5: scrape timeout greater than scrape interval for scrape config with job name \"a\"",
    "`global:\n  scrape_interval: 10s\n  scrape_timeout: 20s\n`|global scrape timeout greater than scrape interval",
    "`scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n`|4:9: relabel configuration for hashmod requires non-zero modulus",
    "`scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n`|unknown relabel action \"explode\"",
    "`scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: '(a'\n        target_label: x\n`|error parsing regexp",
    "`scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n`|empty or null target relabeling rule in scrape config",
    "`scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - regex: a\n        replacement: b\n        action: labeldrop\n`|labeldrop action requires only 'regex', and no other fields",
    "`scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n`|3:19: cannot unmarshal !!str `maybe` into bool",
    "`scrape_configs:\n  - job_name: a\n    sample_limit: -1\n`|cannot unmarshal !!int `-1` into uint",
    "`scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://x:80/metrics']\n`|\"http://x:80/metrics\" is not a valid hostname",
    "`scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - namespaces: {names: [a]}\n`|role missing (one of: pod, service, endpoints, endpointslice, node, ingress)",
    "`scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: deployment\n`|unknown Kubernetes SD role \"deployment\"",
    "`scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n        api_server: https://k\n        kubeconfig_file: /k\n`|cannot use 'kubeconfig_file' and 'api_server' simultaneously",
    "`scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [targets.txt]\n`|path name \"targets.txt\" is not valid for file discovery",
    "`scrape_configs:\n  - job_name: a\n    scrape_protocols: [Foo]\n`|scrape_protocols: unknown scrape protocol Foo, supported: [PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0 OpenMetricsText0.0.1 OpenMetricsText1.0.0] for scrape config with job name \"a\"",
    "`scrape_configs:\n  - job_name: a\n    scrape_protocols: [PrometheusProto, PrometheusProto]\n`|duplicated protocol in scrape_protocols, got [PrometheusProto PrometheusProto]",
    "`scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p}\n    bearer_token: t\n`|at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
    "`scrape_configs:\n  - job_name: a\n    authorization: {type: Basic}\n`|authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
    "`scrape_configs:\n  - job_name: a\n    consul_sd_configs: [{server: x}]\n`|consul_sd_configs is not supported yet",
    "`scrape_configs:\n  - job_name: a\n    scheme: ftp\n`|invalid scheme \"ftp\"",
    "`scrape_configs:\n  - job_name: a\n    job_name: b\n`|3:5: mapping key \"job_name\" already defined at line 2",
    "`scrape_configs: [\n`|yaml:",
    "`remote_write:\n  - name: x\n`|url for remote_write is empty",
    "`scrape_configs:\n  - job_name: a\n    scrape_native_histograms: sometimes\n`|3:31: cannot unmarshal !!str `sometimes` into bool",
    "`global:\n  always_scrape_classic_histograms: 2\n`|2:37: cannot unmarshal !!str `2` into bool",
    "`scrape_configs:\n  - job_name: a\n    keep_dropped_targets: -5\n`|3:27: cannot unmarshal !!int `-5` into uint",
    "`scrape_configs:\n  - job_name: a\n    target_limit: many\n`|3:19: cannot unmarshal !!str `many` into uint",
    "`scrape_configs:\n  - job_name: a\n    scrape_native_histogram: true\n`|3:5: field scrape_native_histogram not found in type config.ScrapeConfig",
  })
  void errorsHavePositionsAndPrometheusWording(String yaml, String expected) {
    assertThatThrownBy(() -> ConfigLoader.load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void histogramAndTargetFieldsDefaultLikePrometheus3() {
    ScrapeConfig c = ConfigLoader.load("scrape_configs:\n  - job_name: a\n").scrapeConfigs().getFirst();
    assertThat(c.scrapeNativeHistograms()).isFalse();
    assertThat(c.alwaysScrapeClassicHistograms()).isFalse();
    assertThat(c.targetLimit()).isZero();
    assertThat(c.keepDroppedTargets()).isZero();
    assertThat(c.scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULT);
  }

  @Test
  void histogramAndTargetFieldsInheritFromGlobalAndJobsOverride() {
    PrometheusConfig cfg = ConfigLoader.load("""
        global:
          scrape_native_histograms: true
          always_scrape_classic_histograms: true
          target_limit: 7
          keep_dropped_targets: 3
        scrape_configs:
          - job_name: inherits
          - job_name: overrides
            scrape_native_histograms: false
            always_scrape_classic_histograms: false
            target_limit: 2
            keep_dropped_targets: 1
          - job_name: explicit-protocols
            scrape_protocols: [PrometheusText0.0.4]
        """);
    ScrapeConfig inherits = cfg.scrapeConfigs().get(0);
    assertThat(inherits.scrapeNativeHistograms()).isTrue();
    assertThat(inherits.alwaysScrapeClassicHistograms()).isTrue();
    assertThat(inherits.targetLimit()).isEqualTo(7);
    assertThat(inherits.keepDroppedTargets()).isEqualTo(3);
    // Native histograms only come over protobuf, so Prometheus 3 then asks for it first.
    assertThat(inherits.scrapeProtocols()).isEqualTo(ScrapeProtocol.PROTO_FIRST);
    ScrapeConfig overrides = cfg.scrapeConfigs().get(1);
    assertThat(overrides.scrapeNativeHistograms()).isFalse();
    assertThat(overrides.alwaysScrapeClassicHistograms()).isFalse();
    assertThat(overrides.targetLimit()).isEqualTo(2);
    assertThat(overrides.keepDroppedTargets()).isEqualTo(1);
    assertThat(overrides.scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULT);
    assertThat(cfg.scrapeConfigs().get(2).scrapeProtocols()).containsExactly(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
  }

  @Test
  void explicitGlobalProtocolsWinOverTheNativeHistogramDefault() {
    ScrapeConfig c = ConfigLoader.load("""
        global:
          scrape_protocols: [OpenMetricsText1.0.0]
        scrape_configs:
          - job_name: a
            scrape_native_histograms: true
        """).scrapeConfigs().getFirst();
    assertThat(c.scrapeProtocols()).containsExactly(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0);
  }

  @ParameterizedTest
  @CsvSource({"15s,15000", "1m30s,90000", "1h,3600000", "1d,86400000", "2w,1209600000", "1y,31536000000",
      "100ms,100", "1h0m1s,3601000", "0,0"})
  void durations(String s, long millis) {
    assertThat(PrometheusDuration.parse(s).toMillis()).isEqualTo(millis);
  }

  @Test
  void badDurations() {
    for (String s : new String[] {"1", "1m1h", "1.5s", "s", "1x", "-1s", "1s1s"}) {
      assertThatThrownBy(() -> PrometheusDuration.parse(s)).as(s).hasMessageContaining("not a valid duration string");
    }
    assertThat(PrometheusDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
  }

  @Test
  void byteSizes() {
    assertThat(ByteSize.parse("10MB")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("1KiB")).isEqualTo(1024);
    assertThat(ByteSize.parse("512")).isEqualTo(512);
    assertThatThrownBy(() -> ByteSize.parse("1XB")).hasMessageContaining("unknown unit");
  }
}
