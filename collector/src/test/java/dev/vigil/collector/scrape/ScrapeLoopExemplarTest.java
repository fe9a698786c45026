package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.LabelPair;
import dev.vigil.protocol.exposition.pb.Metric;
import dev.vigil.protocol.exposition.pb.MetricFamily;
import dev.vigil.protocol.exposition.pb.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exemplars reach {@code Appender.appendExemplar} as Prometheus's scrape loop passes them: with
 * their own timestamp or else the sample's, sorted per series, from OpenMetrics text and from
 * protobuf (counters, classic buckets, native histograms: timestamped ones only), and refused
 * ones are counted without failing the scrape.
 */
class ScrapeLoopExemplarTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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

  @Test
  void openMetricsExemplarsKeepTheirTimestampOrGetTheSamples() throws Exception {
    server.contentType = ScrapeLoopMetadataTest.OM;
    server.body = """
        # TYPE req counter
        req_total{code="200"} 17 # {trace_id="abc"} 1.5 1700000000.123
        req_total{code="500"} 3 # {trace_id="def",span_id="1"} 2.5
        req_total{code="503"} 1 1600000000.5 # {trace_id="ghi"} 3
        # TYPE lat histogram
        lat_bucket{le="0.5"} 1 # {trace_id="x"} 0.25
        lat_bucket{le="+Inf"} 2
        lat_sum 0.75
        lat_count 2
        # EOF
        """;
    ScrapeLoop l = loop("");
    ScrapeResult r = l.scrapeOnce();
    assertThat(r.error()).isEmpty();
    long ts = clock.millis();
    assertThat(storage.lastExemplars).containsExactly(
        new RecordingStorage.StoredExemplar(series("req_total", "code", "200"),
            new Exemplar(Labels.of("trace_id", "abc"), 1.5, 1_700_000_000_123L)),
        new RecordingStorage.StoredExemplar(series("req_total", "code", "500"),
            new Exemplar(Labels.of("trace_id", "def", "span_id", "1"), 2.5, ts)),
        new RecordingStorage.StoredExemplar(series("req_total", "code", "503"),
            new Exemplar(Labels.of("trace_id", "ghi"), 3, 1_600_000_000_500L)),
        new RecordingStorage.StoredExemplar(series("lat_bucket", "le", "0.5"),
            new Exemplar(Labels.of("trace_id", "x"), 0.25, ts)));
  }

  @Test
  void refusedExemplarsAreCountedAndTheScrapeStillSucceeds() throws Exception {
    server.contentType = ScrapeLoopMetadataTest.OM;
    server.body = """
        # TYPE req counter
        req_total{code="200"} 17 # {trace_id="old"} 1 1000
        req_total{code="500"} 3 # {trace_id="new"} 2
        # EOF
        """;
    storage.refuse = x -> x.labels().get("trace_id").equals("old");
    java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
    ScrapeConfig cfg = config("");
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    ScrapeLoop l = new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), storage, clock,
        new java.util.concurrent.atomic.LongAdder(), refused);
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(15));
      ScrapeResult r = l.scrapeOnce();
      assertThat(r.error()).isEmpty();
      assertThat(r.samplesPostRelabeling()).isEqualTo(2);
      assertThat(storage.lastExemplars).extracting(e -> e.exemplar().labels().get("trace_id")).containsExactly("new");
    }
    assertThat(refused.sum()).isEqualTo(2);
  }

  @Test
  void protobufExemplarsOfCountersClassicBucketsAndNativeHistograms() throws Exception {
    dev.vigil.protocol.exposition.pb.Exemplar withTs = pbExemplar("t1", 0.5, 1_700_000_001L, 250_000_000);
    dev.vigil.protocol.exposition.pb.Exemplar early = pbExemplar("t0", 0.75, 1_700_000_000L, 0);
    dev.vigil.protocol.exposition.pb.Exemplar noTs = dev.vigil.protocol.exposition.pb.Exemplar.newBuilder()
        .addLabel(LabelPair.newBuilder().setName("trace_id").setValue("nots")).setValue(9).build();
    Histogram.Builder nativeH = Histogram.newBuilder().setSampleCount(3).setSampleSum(2).setSchema(0)
        .setZeroThreshold(1e-128).addPositiveSpan(BucketSpan.newBuilder().setOffset(0).setLength(1))
        .addPositiveDelta(3).addExemplars(withTs).addExemplars(noTs).addExemplars(early);
    Histogram.Builder classic = Histogram.newBuilder().setSampleCount(2).setSampleSum(1)
        .addBucket(Bucket.newBuilder().setUpperBound(0.5).setCumulativeCount(1).setExemplar(noTs))
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    family(out, "c_total", MetricType.COUNTER, Metric.newBuilder().setCounter(Counter.newBuilder().setValue(4)
        .setExemplar(withTs)));
    family(out, "nh", MetricType.HISTOGRAM, Metric.newBuilder().setHistogram(nativeH));
    family(out, "ch", MetricType.HISTOGRAM, Metric.newBuilder().setHistogram(classic));
    server.contentType = ScrapeLoopMetadataTest.PROTOBUF;
    server.bytes = out.toByteArray();
    ScrapeLoop l = loop("scrape_native_histograms: true\n");
    assertThat(l.scrapeOnce().error()).isEmpty();
    long ts = clock.millis();
    assertThat(storage.lastExemplars).containsExactly(
        new RecordingStorage.StoredExemplar(series("c_total"), new Exemplar(Labels.of("trace_id", "t1"), 0.5,
            1_700_000_001_250L)),
        // Sorted by timestamp; the one without a timestamp is dropped (native histogram).
        new RecordingStorage.StoredExemplar(series("nh"), new Exemplar(Labels.of("trace_id", "t0"), 0.75,
            1_700_000_000_000L)),
        new RecordingStorage.StoredExemplar(series("nh"), new Exemplar(Labels.of("trace_id", "t1"), 0.5,
            1_700_000_001_250L)),
        // A classic bucket's exemplar without a timestamp gets the scrape's.
        new RecordingStorage.StoredExemplar(series("ch_bucket", "le", "0.5"), new Exemplar(
            Labels.of("trace_id", "nots"), 9, ts)));
  }

  @Test
  void nativeHistogramWithoutExemplarsFieldUsesItsTimestampedBucketExemplars() throws Exception {
    dev.vigil.protocol.exposition.pb.Exemplar withTs = pbExemplar("b", 0.3, 1_700_000_002L, 0);
    Histogram.Builder h = Histogram.newBuilder().setSampleCount(3).setSampleSum(2).setSchema(0)
        .setZeroThreshold(1e-128).addPositiveSpan(BucketSpan.newBuilder().setOffset(0).setLength(1))
        .addPositiveDelta(3)
        .addBucket(Bucket.newBuilder().setUpperBound(0.5).setCumulativeCount(1).setExemplar(withTs))
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3).setExemplar(
            dev.vigil.protocol.exposition.pb.Exemplar.newBuilder().setValue(1)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    family(out, "nh", MetricType.HISTOGRAM, Metric.newBuilder().setHistogram(h));
    server.contentType = ScrapeLoopMetadataTest.PROTOBUF;
    server.bytes = out.toByteArray();
    ScrapeLoop l = loop("scrape_native_histograms: true\n");
    assertThat(l.scrapeOnce().error()).isEmpty();
    assertThat(storage.lastExemplars).containsExactly(new RecordingStorage.StoredExemplar(series("nh"),
        new Exemplar(Labels.of("trace_id", "b"), 0.3, 1_700_000_002_000L)));
  }

  private static dev.vigil.protocol.exposition.pb.Exemplar pbExemplar(String trace, double v, long secs, int nanos) {
    return dev.vigil.protocol.exposition.pb.Exemplar.newBuilder()
        .addLabel(LabelPair.newBuilder().setName("trace_id").setValue(trace)).setValue(v)
        .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(secs).setNanos(nanos)).build();
  }

  private static void family(ByteArrayOutputStream out, String name, MetricType type, Metric.Builder... metrics)
      throws IOException {
    MetricFamily.Builder f = MetricFamily.newBuilder().setName(name).setType(type);
    for (Metric.Builder m : metrics) {
      f.addMetric(m);
    }
    f.build().writeDelimitedTo(out);
  }

  private Labels series(String name, String... more) {
    Labels.Builder b = Labels.builder().set("__name__", name).set("job", "node").set("instance", server.address());
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  private ScrapeConfig config(String jobYaml) {
    return ConfigLoader.load("scrape_configs:\n  - job_name: node\n" + jobYaml.indent(4)).scrapeConfigs().get(0);
  }

  private ScrapeLoop loop(String jobYaml) {
    ScrapeConfig cfg = config(jobYaml);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", server.address()), cfg);
    return new ScrapeLoop(t, cfg, new HttpScraper(CLIENT, t, cfg), storage, clock);
  }
}
