package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.model.histogram.FloatHistogram;
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

/** Scrapes with {@code convert_classic_histograms_to_nhcb}: what reaches the store. */
class NhcbScrapeTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String BODY = """
      # TYPE http_seconds histogram
      http_seconds_bucket{le="0.1"} 1
      http_seconds_bucket{le="1"} 3
      http_seconds_bucket{le="+Inf"} 4
      http_seconds_count 4
      http_seconds_sum 1.5
      # TYPE up_total counter
      up_total 1
      """;

  private TestTarget server;
  private InMemoryStorage storage;
  private Instant now = Instant.ofEpochMilli(1_700_000_000_000L);
  private final InstantSource clock = () -> now;

  @BeforeEach
  void setUp() throws Exception {
    server = new TestTarget();
    server.body = BODY;
    storage = new InMemoryStorage();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private ScrapeLoop loop(String jobYaml) {
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n" + jobYaml.indent(4)).scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    return new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), storage, clock);
  }

  @Test
  void classicHistogramsAreStoredAsCustomBucketHistogramsOnly() throws Exception {
    ScrapeLoop l = loop("convert_classic_histograms_to_nhcb: true");
    for (int i = 0; i < 3; i++) {
      now = now.plusSeconds(15);
      ScrapeResult r = l.scrapeOnce();
      assertThat(r.error()).isEmpty();
      // Like Prometheus: one histogram sample plus the counter.
      assertThat(r.samplesScraped()).isEqualTo(2);
      assertThat(r.seriesAdded()).isEqualTo(i == 0 ? 2 : 0);
    }
    Map<String, List<Object>> s = stored();
    assertThat(s.keySet()).contains("http_seconds", "up_total").noneMatch(n -> n.startsWith("http_seconds_"));
    assertThat(s.get("http_seconds")).hasSize(3).allSatisfy(v -> {
      FloatHistogram h = (FloatHistogram) v;
      assertThat(h.schema()).isEqualTo(FloatHistogram.CUSTOM_BUCKETS_SCHEMA);
      assertThat(h.customValues()).containsExactly(0.1, 1.0);
      assertThat(h.count()).isEqualTo(4);
      assertThat(h.sum()).isEqualTo(1.5);
    });
  }

  @Test
  void alwaysScrapeClassicHistogramsKeepsTheClassicSeriesToo() throws Exception {
    ScrapeLoop l = loop("""
        convert_classic_histograms_to_nhcb: true
        always_scrape_classic_histograms: true
        """);
    now = now.plusSeconds(15);
    assertThat(l.scrapeOnce().samplesScraped()).isEqualTo(7);
    assertThat(stored().keySet()).contains("http_seconds", "http_seconds_bucket", "http_seconds_count", "http_seconds_sum");
  }

  @Test
  void theGlobalSettingIsTheJobsDefault() {
    ScrapeConfig on = ConfigLoader.load("""
        global: {convert_classic_histograms_to_nhcb: true}
        scrape_configs:
          - job_name: a
          - job_name: b
            convert_classic_histograms_to_nhcb: false
        """).scrapeConfigs().getFirst();
    assertThat(on.convertClassicHistogramsToNhcb()).isTrue();
    assertThat(ConfigLoader.load("scrape_configs: [{job_name: a}]").scrapeConfigs().getFirst()
        .convertClassicHistogramsToNhcb()).isFalse();
  }

  @Test
  void turningConversionOnByReloadEndsTheClassicSeries() throws Exception {
    ScrapeLoop l = loop("");
    now = now.plusSeconds(15);
    l.scrapeOnce();
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n    convert_classic_histograms_to_nhcb: true\n")
        .scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    l.reconfigure(t, cfg, new HttpScraper(CLIENT, t, cfg));
    now = now.plusSeconds(15);
    l.scrapeOnce();
    Map<String, List<Object>> s = stored();
    assertThat(s.get("http_seconds_count")).hasSize(2).last().matches(v -> StaleNaN.is((Double) v));
    assertThat(s.get("http_seconds")).hasSize(1);
    assertThat(s.get("up_total")).containsExactly(1.0, 1.0);
  }

  /** Values per metric name (one series each here): Doubles or FloatHistograms. */
  private Map<String, List<Object>> stored() {
    Map<String, List<Object>> out = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));
      while (ss.next()) {
        List<Object> values = out.computeIfAbsent(ss.at().labels().metricName(), k -> new ArrayList<>());
        SampleIterator it = ss.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          values.add(k == ValueKind.HISTOGRAM ? it.atHistogram() : it.atF());
        }
      }
    }
    return out;
  }
}
