package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.LabelPair;
import dev.vigil.protocol.exposition.pb.Metric;
import dev.vigil.protocol.exposition.pb.MetricFamily;
import dev.vigil.protocol.remote.MetricMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which series a scrape gives {@code Appender.updateMetadata} and with what: every series new to
 * the scrape cache, and the series of a family whose type, help or unit changed in this scrape;
 * nothing for a steady target. Plus the per-target list behind {@code /api/v1/targets/metadata}.
 */
class ScrapeLoopMetadataTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

  private TestTarget server;
  private RecordingStorage storage;
  private final ScrapeLoopTest.TestClock clock = new ScrapeLoopTest.TestClock();

  @BeforeEach
  void setUp() throws Exception {
    server = new TestTarget();
    storage = new RecordingStorage();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** One scrape: the body served and the metadata calls expected ("series type|help|unit"). */
  record Step(String contentType, String body, List<String> calls) {}

  record Case(String name, String jobYaml, List<Step> steps) {}

  static final String COUNTERS = """
      # HELP c_total Requests.
      # TYPE c_total counter
      c_total{a="1"} 1
      c_total{a="2"} 2
      # HELP g Temperature.
      # TYPE g gauge
      g 3
      """;

  static final List<Case> CASES = List.of(
      new Case("new family, then a steady target", "", List.of(
          new Step(TEXT, COUNTERS, List.of("c_total{a=1} counter|Requests.|", "c_total{a=2} counter|Requests.|",
              "g{} gauge|Temperature.|")),
          new Step(TEXT, COUNTERS, List.of()),
          new Step(TEXT, COUNTERS, List.of()))),
      new Case("changed help: only that family's series", "", List.of(
          new Step(TEXT, COUNTERS, List.of("c_total{a=1} counter|Requests.|", "c_total{a=2} counter|Requests.|",
              "g{} gauge|Temperature.|")),
          new Step(TEXT, COUNTERS.replace("Requests.", "All requests."),
              List.of("c_total{a=1} counter|All requests.|", "c_total{a=2} counter|All requests.|")),
          new Step(TEXT, COUNTERS.replace("Requests.", "All requests."), List.of()))),
      new Case("changed type", "", List.of(
          new Step(TEXT, COUNTERS, List.of("c_total{a=1} counter|Requests.|", "c_total{a=2} counter|Requests.|",
              "g{} gauge|Temperature.|")),
          new Step(TEXT, COUNTERS.replace("TYPE g gauge", "TYPE g untyped"), List.of("g{} unknown|Temperature.|")))),
      new Case("new series of a known family", "", List.of(
          new Step(TEXT, COUNTERS, List.of("c_total{a=1} counter|Requests.|", "c_total{a=2} counter|Requests.|",
              "g{} gauge|Temperature.|")),
          new Step(TEXT, COUNTERS.replace("c_total{a=\"2\"} 2", "c_total{a=\"2\"} 2\nc_total{a=\"3\"} 4"),
              List.of("c_total{a=3} counter|Requests.|")),
          // A new series after another family's metadata lines is not given that family's.
          new Step(TEXT, COUNTERS + "stray_total 5\n", List.of()))),
      new Case("unit from OpenMetrics, histogram suffixes", "", List.of(
          new Step(OM, """
              # TYPE rpc_seconds histogram
              # UNIT rpc_seconds seconds
              # HELP rpc_seconds RPC latency.
              rpc_seconds_bucket{le="1"} 1
              rpc_seconds_bucket{le="+Inf"} 2
              rpc_seconds_sum 1.5
              rpc_seconds_count 2
              # TYPE jobs counter
              # HELP jobs Jobs \\"done\\".
              jobs_total 3
              # EOF
              """, List.of("rpc_seconds_bucket{le=1.0} histogram|RPC latency.|seconds",
              "rpc_seconds_bucket{le=+Inf} histogram|RPC latency.|seconds",
              "rpc_seconds_sum{} histogram|RPC latency.|seconds", "rpc_seconds_count{} histogram|RPC latency.|seconds",
              "jobs_total{} counter|Jobs \"done\".|")))),
      new Case("untyped, and series no metadata line belongs to", "", List.of(
          new Step(TEXT, """
              bare 1
              # TYPE u untyped
              u 2
              unrelated 3
              # HELP h Help with a \\\\ backslash\\nand a newline.
              h 4
              """, List.of("u{} unknown||", "h{} unknown|Help with a \\ backslash\nand a newline.|")))),
      new Case("metric relabelling renames a series out of its family", """
          metric_relabel_configs:
            - {source_labels: [__name__], regex: 'g', target_label: __name__, replacement: renamed}
          """, List.of(
          new Step(TEXT, COUNTERS, List.of("c_total{a=1} counter|Requests.|", "c_total{a=2} counter|Requests.|")))),
      new Case("protobuf families", "", List.of(
          new Step(PROTOBUF, "pb", List.of("pb_bytes_total{x=y} counter|Bytes sent.|bytes")),
          new Step(PROTOBUF, "pb", List.of()))));

  @Test
  void metadataGoesToTheStoreForNewSeriesAndChangedFamiliesOnly() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Case c : CASES) {
      storage = new RecordingStorage();
      ScrapeLoop l = loop(c.jobYaml());
      for (int i = 0; i < c.steps().size(); i++) {
        Step s = c.steps().get(i);
        serve(s);
        clock.advance(Duration.ofSeconds(15));
        ScrapeResult r = l.scrapeOnce();
        if (!r.error().isEmpty()) {
          failures.add(c.name() + ", scrape " + (i + 1) + ": " + r.error());
          continue;
        }
        List<String> got = new ArrayList<>();
        for (RecordingStorage.StoredMetadata m : storage.lastMetadata) {
          got.add(describe(m.series()) + " " + m.metadata().type().promName() + "|" + m.metadata().help() + "|"
              + m.metadata().unit());
        }
        if (!new TreeSet<>(got).equals(new TreeSet<>(s.calls())) || got.size() != s.calls().size()) {
          failures.add(c.name() + ", scrape " + (i + 1) + ": expected " + s.calls() + ", got " + got);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void targetListHasEveryFamilySortedAndForgetsThemTenScrapesAfterTheyGo() throws Exception {
    server.body = COUNTERS + "# TYPE only_meta gauge\n";
    ScrapeLoop l = loop("");
    assertThat(l.metadata()).isEmpty();
    l.scrapeOnce();
    assertThat(l.metadata()).containsExactly(
        new MetricMetadata("c_total", MetricType.COUNTER, "Requests.", ""),
        new MetricMetadata("g", MetricType.GAUGE, "Temperature.", ""),
        new MetricMetadata("only_meta", MetricType.GAUGE, "", ""));
    assertThat(l.metadata("g")).isEqualTo(new MetricMetadata("g", MetricType.GAUGE, "Temperature.", ""));
    assertThat(l.metadata("absent")).isNull();
    server.body = "# TYPE g gauge\ng 1\n";
    // A failed scrape does not age the cache, as in Prometheus.
    server.status = 500;
    for (int i = 0; i < 20; i++) {
      l.scrapeOnce();
    }
    assertThat(l.metadata()).hasSize(3);
    server.status = 200;
    for (int i = 0; i < MetadataCache.KEEP_SCRAPES; i++) {
      l.scrapeOnce();
      assertThat(l.metadata()).as("after %d scrapes without it", i + 1).hasSize(3);
    }
    l.scrapeOnce();
    assertThat(l.metadata()).containsExactly(new MetricMetadata("g", MetricType.GAUGE, "Temperature.", ""));
    // A forgotten family that comes back is new again, and so is its metadata for the store.
    server.body = COUNTERS;
    l.scrapeOnce();
    assertThat(l.metadata()).extracting(MetricMetadata::family).containsExactly("c_total", "g");
    assertThat(storage.lastMetadata).extracting(m -> m.series().metricName()).containsExactly("c_total", "c_total");
  }

  @Test
  void aFamilyStatedTwiceWithDifferentMetadataEndsEachScrapeTheSame() throws Exception {
    // OpenMetrics names a counter's family without _total, so a gauge "x" and a counter
    // "x_total" share the family "x": its metadata flips within every scrape, as in Prometheus.
    server.contentType = OM;
    server.body = """
        # TYPE x gauge
        # HELP x Bytes now.
        x 1
        # TYPE x counter
        # HELP x Bytes ever.
        x_total 2
        # EOF
        """;
    ScrapeLoop l = loop("");
    l.scrapeOnce();
    List<MetricMetadata> first = l.metadata();
    assertThat(first).containsExactly(new MetricMetadata("x", MetricType.COUNTER, "Bytes ever.", ""));
    for (int i = 0; i < 3; i++) {
      l.scrapeOnce();
      // Nothing to publish again: the same list, no garbage per scrape.
      assertThat(l.metadata()).isSameAs(first);
      assertThat(storage.lastMetadata).extracting(m -> m.series().metricName() + " " + m.metadata().type())
          .containsExactly("x GAUGE", "x_total COUNTER");
    }
  }

  private void serve(Step s) throws IOException {
    server.contentType = s.contentType();
    if (s.contentType().equals(PROTOBUF)) {
      server.bytes = protobufBody();
    } else {
      server.bytes = null;
      server.body = s.body();
    }
  }

  static byte[] protobufBody() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetricFamily.newBuilder().setName("pb_bytes_total").setHelp("Bytes sent.").setUnit("bytes")
        .setType(dev.vigil.protocol.exposition.pb.MetricType.COUNTER)
        .addMetric(Metric.newBuilder().addLabel(LabelPair.newBuilder().setName("x").setValue("y"))
            .setCounter(Counter.newBuilder().setValue(5)))
        .build().writeDelimitedTo(out);
    return out.toByteArray();
  }

  /** {@code name{label=value,...}} without the target's labels. */
  private static String describe(Labels l) {
    StringBuilder sb = new StringBuilder(l.metricName()).append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      if (n.equals("__name__") || n.equals("job") || n.equals("instance")) {
        continue;
      }
      sb.append(first ? "" : ",").append(n).append('=').append(l.value(i));
      first = false;
    }
    return sb.append('}').toString();
  }

  private ScrapeLoop loop(String jobYaml) {
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n" + jobYaml.indent(4)).scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    return new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), storage, clock);
  }
}
