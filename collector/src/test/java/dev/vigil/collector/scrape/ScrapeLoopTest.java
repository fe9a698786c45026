package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TestTarget server;
  private InMemoryStorage storage;
  private final TestClock clock = new TestClock();

  static final class TestClock implements InstantSource {
    volatile Instant now = Instant.ofEpochMilli(1_700_000_000_000L);

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  record Sample(long t, double v) {}

  @BeforeEach
  void setUp() throws Exception {
    server = new TestTarget();
    storage = new InMemoryStorage();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void repeatedScrapesGiveTheSameSeries() throws Exception {
    server.body = "go_gc 1\nnode_cpu{mode=\"idle\"} 2\nnode_cpu{mode=\"idle\"} 3\n";
    ScrapeLoop l = loop("""
        metric_relabel_configs:
          - source_labels: [__name__]
            regex: go_.*
            action: drop
        """);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(15));
      ScrapeResult r = l.scrapeOnce();
      assertThat(r.samplesScraped()).isEqualTo(3);
      assertThat(r.samplesPostRelabeling()).isEqualTo(2);
      assertThat(r.seriesAdded()).isEqualTo(i == 0 ? 1 : 0);
    }
    assertThat(stored().get(series("node_cpu", "mode", "idle"))).hasSize(4);
    assertThat(stored()).doesNotContainKey(series("go_gc"));
  }

  @Test
  void passesBackTheRefTheStoreGaveForEachSeries() throws Exception {
    server.body = "a 1\nb{x=\"1\"} 2\nb{x=\"2\"} 3\n";
    Map<Labels, Long> given = new java.util.HashMap<>();
    List<String> passed = new ArrayList<>();
    dev.vigil.model.storage.Appendable refStore = () -> new dev.vigil.model.storage.Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        if (!labels.metricName().startsWith("scrape_") && !labels.metricName().equals("up")) {
          String x = labels.get("x");
          passed.add(labels.metricName() + (x == null ? "" : x) + "=" + ref);
        }
        return given.computeIfAbsent(labels, l -> 100L + given.size());
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t,
          dev.vigil.model.histogram.FloatHistogram h) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void commit() {}

      @Override
      public void rollback() {}
    };
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n")
        .scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    ScrapeLoop l = new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), refStore, clock);
    clock.advance(Duration.ofSeconds(15));
    l.scrapeOnce();
    assertThat(passed).containsExactly("a=0", "b1=0", "b2=0");
    passed.clear();
    clock.advance(Duration.ofSeconds(15));
    l.scrapeOnce();
    assertThat(passed).containsExactly(
        "a=" + given.get(series("a")),
        "b1=" + given.get(series("b", "x", "1")),
        "b2=" + given.get(series("b", "x", "2")));
  }

  private ScrapeLoop loop(String jobYaml) {
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n" + jobYaml.indent(4)).scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    return new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), storage, clock);
  }

  private Map<Labels, List<Sample>> stored() {
    Map<Labels, List<Sample>> out = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));
      while (ss.next()) {
        List<Sample> samples = new ArrayList<>();
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          samples.add(new Sample(it.atT(), it.atF()));
        }
        out.put(ss.at().labels(), samples);
      }
    }
    return out;
  }

  private Labels series(String name, String... more) {
    Labels.Builder b = Labels.builder().set("__name__", name).set("job", "node").set("instance", server.address());
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  private double report(String name) {
    List<Sample> s = stored().get(series(name));
    return s.get(s.size() - 1).v();
  }

  @Test
  void scrapesAppendsAndReports() throws Exception {
    server.body = """
        # HELP node_load1 1m load average.
        # TYPE node_load1 gauge
        node_load1 0.25
        # TYPE http_requests_total counter
        http_requests_total{code="200"} 1027
        http_requests_total{code="500"} 3 1600000000000
        """;
    ScrapeLoop l = loop("");
    ScrapeResult r = l.scrapeOnce();
    assertThat(r.error()).isEmpty();
    long ts = clock.millis();
    Map<Labels, List<Sample>> db = stored();
    assertThat(db.get(series("node_load1"))).containsExactly(new Sample(ts, 0.25));
    assertThat(db.get(series("http_requests_total", "code", "200"))).containsExactly(new Sample(ts, 1027));
    assertThat(db.get(series("http_requests_total", "code", "500"))).containsExactly(new Sample(1600000000000L, 3));
    assertThat(report("up")).isEqualTo(1);
    assertThat(report("scrape_samples_scraped")).isEqualTo(3);
    assertThat(report("scrape_samples_post_metric_relabeling")).isEqualTo(3);
    assertThat(report("scrape_series_added")).isEqualTo(3);
    assertThat(db).containsKey(series("scrape_duration_seconds"));
    assertThat(server.lastAccept).isEqualTo("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    assertThat(server.lastAcceptEncoding).isEqualTo("gzip");
    assertThat(server.lastTimeoutHeader).isEqualTo("10");
  }

  @Test
  void vanishedSeriesAndFailedScrapesGoStale() throws Exception {
    server.body = "a 1\nb 2\n";
    ScrapeLoop l = loop("");
    l.scrapeOnce();
    long t1 = clock.millis();
    clock.advance(Duration.ofSeconds(15));
    server.body = "a 3\n";
    ScrapeResult r2 = l.scrapeOnce();
    long t2 = clock.millis();
    assertThat(r2.seriesAdded()).isZero();
    List<Sample> b = stored().get(series("b"));
    assertThat(b).hasSize(2);
    assertThat(b.get(0)).isEqualTo(new Sample(t1, 2));
    assertThat(b.get(1).t()).isEqualTo(t2);
    assertThat(StaleNaN.is(b.get(1).v())).isTrue();

    clock.advance(Duration.ofSeconds(15));
    server.status = 500;
    ScrapeResult r3 = l.scrapeOnce();
    assertThat(r3.error()).isEqualTo("server returned HTTP status 500 Internal Server Error");
    assertThat(report("up")).isZero();
    List<Sample> a = stored().get(series("a"));
    assertThat(StaleNaN.is(a.get(a.size() - 1).v())).isTrue();
    // b stays with one marker: it was already gone.
    assertThat(stored().get(series("b"))).hasSize(2);
  }

  @Test
  void stopMarksEverythingStale() throws Exception {
    server.body = "a 1\n";
    ScrapeLoop l = loop("");
    l.scrapeOnce();
    clock.advance(Duration.ofSeconds(5));
    l.stop();
    for (String name : new String[] {"a", "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added"}) {
      List<Sample> s = stored().get(series(name));
      assertThat(StaleNaN.is(s.get(s.size() - 1).v())).as(name).isTrue();
      assertThat(s.get(s.size() - 1).t()).isEqualTo(clock.millis());
    }
    assertThat(l.scrapeOnce().time()).isBefore(clock.instant()); // stopped: no new scrape
  }

  @Test
  void timeoutFailsTheScrape() throws Exception {
    server.body = "a 1\n";
    server.delayMillis = 1500;
    ScrapeLoop l = loop("scrape_interval: 1s\nscrape_timeout: 300ms\n");
    ScrapeResult r = l.scrapeOnce();
    assertThat(r.error()).contains("context deadline exceeded");
    assertThat(report("up")).isZero();
    assertThat(server.lastTimeoutHeader).isEqualTo("0.3");
  }

  @Test
  void bodySizeLimitAppliesToTheDecompressedBody() throws Exception {
    server.body = "a_metric_with_a_long_name 1\n".repeat(100);
    ScrapeResult gz = loop("body_size_limit: 1KB\n").scrapeOnce();
    assertThat(gz.error()).isEqualTo("body size limit exceeded");
    ScrapeResult plain = loop("body_size_limit: 1KB\nenable_compression: false\n").scrapeOnce();
    assertThat(server.lastAcceptEncoding).isEqualTo("identity");
    assertThat(plain.error()).isEqualTo("body size limit exceeded");
  }

  @Test
  void sampleLimitFailsTheWholeScrape() throws Exception {
    server.body = "a 1\nb 2\nc 3\n";
    ScrapeResult r = loop("sample_limit: 2\n").scrapeOnce();
    assertThat(r.error()).isEqualTo("sample limit exceeded");
    assertThat(stored()).doesNotContainKey(series("a"));
    assertThat(report("up")).isZero();
  }

  @Test
  void labelLimits() throws Exception {
    server.body = "a{x=\"1\",y=\"2\"} 1\n";
    assertThat(loop("label_limit: 3\n").scrapeOnce().error())
        .isEqualTo("label_limit exceeded (metric: a, number of labels: 5, limit: 3)");
    assertThat(loop("label_value_length_limit: 5\n").scrapeOnce().error())
        .startsWith("label_value_length_limit exceeded (metric: a, label name: instance");
  }

  @Test
  void honorLabelsDecidesConflicts() throws Exception {
    server.body = "a{job=\"other\",exported_job=\"x\"} 1\n";
    loop("").scrapeOnce();
    assertThat(stored()).containsKey(series("a", "exported_job", "x", "exported_exported_job", "other"));
    storage.clear();
    loop("honor_labels: true\n").scrapeOnce();
    assertThat(stored()).containsKey(Labels.of("__name__", "a", "job", "other", "exported_job", "x",
        "instance", server.address()));
  }

  @Test
  void honorTimestampsFalseUsesScrapeTime() throws Exception {
    server.body = "a 1 1600000000000\n";
    loop("honor_timestamps: false\n").scrapeOnce();
    assertThat(stored().get(series("a"))).containsExactly(new Sample(clock.millis(), 1));
  }

  @Test
  void metricRelabelConfigsDropAndRewrite() throws Exception {
    server.body = "go_gc 1\nnode_cpu{mode=\"idle\"} 2\n";
    ScrapeResult r = loop("""
        metric_relabel_configs:
          - source_labels: [__name__]
            regex: go_.*
            action: drop
          - source_labels: [mode]
            target_label: mode
            action: uppercase
        """).scrapeOnce();
    assertThat(r.samplesScraped()).isEqualTo(2);
    assertThat(r.samplesPostRelabeling()).isEqualTo(1);
    assertThat(stored()).containsKey(series("node_cpu", "mode", "IDLE")).doesNotContainKey(series("go_gc"));
  }

  @Test
  void openMetricsAndContentTypeNegotiation() throws Exception {
    server.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    server.body = "# TYPE c counter\nc_total 5 1600000000.5 # {trace_id=\"x\"} 1\n# EOF\n";
    ScrapeResult r = loop("").scrapeOnce();
    assertThat(r.error()).isEmpty();
    assertThat(stored().get(series("c_total"))).containsExactly(new Sample(1600000000500L, 5));

    server.contentType = null;
    assertThat(loop("").scrapeOnce().error()).contains("blank Content-Type");
    assertThat(loop("fallback_scrape_protocol: OpenMetricsText1.0.0\n").scrapeOnce().error()).isEmpty();

    server.contentType = "text/plain";
    server.body = "bad{ 1\n";
    assertThat(loop("").scrapeOnce().error()).startsWith("parse error at line 1:");
  }

  @Test
  void authAndParamsReachTheTarget() throws Exception {
    server.body = "a 1\n";
    loop("""
        params:
          module: [http_2xx]
        authorization:
          credentials: secret
        """).scrapeOnce();
    assertThat(server.lastAuthorization).isEqualTo("Bearer secret");
    assertThat(server.lastQuery).isEqualTo("module=http_2xx");
  }
}
