package dev.vigil.collector.exposition;

import static dev.vigil.collector.exposition.ProtobufParserTest.delimited;
import static dev.vigil.collector.exposition.ProtobufParserTest.family;
import static dev.vigil.collector.exposition.ProtobufParserTest.metric;
import static dev.vigil.collector.exposition.ProtobufParserTest.nativeInts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code convert_classic_histograms_to_nhcb}: classic histograms become native histograms with
 * custom buckets as Prometheus 3's {@code NHCBParser} and {@code convertnhcb.TempHistogram} do.
 * Histograms print as {@code name{labels} nhcb count sum bounds buckets}, buckets per custom
 * bound (the last one is +Inf), empty ones as 0.
 */
class NhcbParserTest {
  static Stream<Arguments> textCases() {
    return Stream.of(
        Arguments.argumentSet("a complete family becomes one histogram, classic series dropped", false, """
            # TYPE foo histogram
            foo_bucket{le="0.5"} 1
            foo_bucket{le="1"} 3
            foo_bucket{le="+Inf"} 4
            foo_count 4
            foo_sum 2.5
            """, List.of("foo{} nhcb count=4.0 sum=2.5 bounds=[0.5, 1.0] buckets=[1.0, 2.0, 1.0]")),
        Arguments.argumentSet("always_scrape_classic_histograms keeps the classic series before the histogram", true, """
            # TYPE foo histogram
            foo_bucket{le="1"} 3
            foo_bucket{le="+Inf"} 4
            foo_count 4
            foo_sum 2.5
            """, List.of(
                "foo_bucket{le=\"1.0\"} 3.0", "foo_bucket{le=\"+Inf\"} 4.0", "foo_count{} 4.0", "foo_sum{} 2.5",
                "foo{} nhcb count=4.0 sum=2.5 bounds=[1.0] buckets=[3.0, 1.0]")),
        Arguments.argumentSet("le out of order and repeated le are sorted and counted once", false, """
            # TYPE foo histogram
            foo_bucket{le="+Inf"} 4
            foo_bucket{le="1"} 3
            foo_bucket{le="0.5"} 1
            foo_bucket{le="1"} 3
            foo_count 4
            foo_sum 2
            """, List.of("foo{} nhcb count=4.0 sum=2.0 bounds=[0.5, 1.0] buckets=[1.0, 2.0, 1.0]")),
        Arguments.argumentSet("a missing +Inf bucket takes the count", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} 3
            foo_count 5
            foo_sum 2
            """, List.of("foo{} nhcb count=5.0 sum=2.0 bounds=[1.0] buckets=[3.0, 2.0]")),
        Arguments.argumentSet("without _count the highest bucket is the count", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} 3
            foo_bucket{le="2"} 6
            foo_sum 7
            """, List.of("foo{} nhcb count=6.0 sum=7.0 bounds=[1.0, 2.0] buckets=[3.0, 3.0, 0.0]")),
        Arguments.argumentSet("only _count gives a single +Inf bucket", false, """
            # TYPE foo histogram
            foo_count 5
            foo_sum 2
            """, List.of("foo{} nhcb count=5.0 sum=2.0 bounds=[] buckets=[5.0]")),
        Arguments.argumentSet("only _sum cannot be converted: nothing", false, """
            # TYPE foo histogram
            foo_sum 2
            """, List.of()),
        Arguments.argumentSet("_count different from the +Inf bucket cannot be converted", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} 3
            foo_bucket{le="+Inf"} 4
            foo_count 5
            """, List.of()),
        Arguments.argumentSet("non-cumulative buckets cannot be converted", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} 3
            foo_bucket{le="2"} 2
            foo_count 3
            """, List.of()),
        Arguments.argumentSet("a negative count cannot be converted", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} -1
            foo_count 3
            """, List.of()),
        Arguments.argumentSet("label sets of one family are separate histograms", false, """
            # TYPE req histogram
            req_bucket{code="200",le="1"} 1
            req_bucket{code="200",le="+Inf"} 2
            req_count{code="200"} 2
            req_sum{code="200"} 1.5
            req_bucket{code="500",le="1"} 0
            req_bucket{code="500",le="+Inf"} 1
            req_count{code="500"} 1
            req_sum{code="500"} 3
            """, List.of(
                "req{code=\"200\"} nhcb count=2.0 sum=1.5 bounds=[1.0] buckets=[1.0, 1.0]",
                "req{code=\"500\"} nhcb count=1.0 sum=3.0 bounds=[1.0] buckets=[0.0, 1.0]")),
        Arguments.argumentSet("fractional counts make a float histogram", false, """
            # TYPE foo histogram
            foo_bucket{le="1"} 0.5
            foo_bucket{le="+Inf"} 2.25
            foo_count 2.25
            foo_sum 1
            """, List.of("foo{} nhcb count=2.25 sum=1.0 bounds=[1.0] buckets=[0.5, 1.75]")),
        Arguments.argumentSet("the next family's metadata ends the histogram", false, """
            # TYPE foo histogram
            foo_bucket{le="+Inf"} 1
            foo_count 1
            # HELP bar a gauge
            # TYPE bar gauge
            bar 7
            """, List.of("foo{} nhcb count=1.0 sum=0.0 bounds=[] buckets=[1.0]", "bar{} 7.0")),
        Arguments.argumentSet("untyped, summary and misnamed series pass through", false, """
            foo_bucket{le="1"} 1
            foo_count 1
            # TYPE s summary
            s{quantile="0.5"} 1
            s_count 2
            s_sum 3
            # TYPE h histogram
            other_bucket{le="1"} 1
            h_total 4
            h_bucket 5
            h_bucket{le="NaN"} 6
            """, List.of("foo_bucket{le=\"1\"} 1.0", "foo_count{} 1.0", "s{quantile=\"0.5\"} 1.0", "s_count{} 2.0",
                "s_sum{} 3.0", "other_bucket{le=\"1.0\"} 1.0", "h_total{} 4.0", "h_bucket{} 5.0", "h_bucket{le=\"NaN\"} 6.0")),
        Arguments.argumentSet("an ordinary series between two groups is passed on between them", false, """
            # TYPE foo histogram
            foo_count{a="1"} 1
            foo_total 9
            foo_count{a="2"} 2
            """, List.of("foo{a=\"1\"} nhcb count=1.0 sum=0.0 bounds=[] buckets=[1.0]", "foo_total{} 9.0",
                "foo{a=\"2\"} nhcb count=2.0 sum=0.0 bounds=[] buckets=[2.0]")));
  }

  @ParameterizedTest
  @MethodSource("textCases")
  void prometheusText(boolean keepClassic, String body, List<String> expected) {
    assertThat(entries(ExpositionFormat.PROMETHEUS_TEXT, body.getBytes(StandardCharsets.UTF_8), false, keepClassic))
        .isEqualTo(expected);
  }

  @Test
  void openMetricsTimestampsAndExemplarsGoToTheHistogram() {
    String body = """
        # TYPE rpc_seconds histogram
        rpc_seconds_bucket{le="0.1"} 2 1700000000.000 # {trace_id="a"} 0.05 1700000000.000
        rpc_seconds_bucket{le="+Inf"} 3 1700000000.000 # {trace_id="b"} 0.7
        rpc_seconds_count 3 1700000000.000
        rpc_seconds_sum 0.9 1700000000.000
        # EOF
        """;
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.OPENMETRICS_TEXT,
        body.getBytes(StandardCharsets.UTF_8), false, false, true);
    List<Entry> entries = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      entries.add(e);
      if (e == Entry.HISTOGRAM) {
        assertThat(render(p)).isEqualTo("rpc_seconds{} nhcb count=3.0 sum=0.9 bounds=[0.1] buckets=[2.0, 1.0] @1700000000000");
        assertThat(p.exemplars()).extracting(x -> x.labels().get("trace_id")).containsExactly("a", "b");
        assertThat(p.exemplar().value()).isEqualTo(0.05);
        assertThat(p.type()).isEqualTo(dev.vigil.model.metadata.MetricType.HISTOGRAM);
        assertThat(p.histogram().schema()).isEqualTo(FloatHistogram.CUSTOM_BUCKETS_SCHEMA);
      }
    }
    assertThat(entries).containsExactly(Entry.TYPE, Entry.HISTOGRAM);
  }

  @Test
  void protobufClassicHistogramsAreConvertedAndNativeOnesLeftAlone() {
    Histogram.Builder classic = Histogram.newBuilder().setSampleCount(4).setSampleSum(2.5)
        .addBucket(Bucket.newBuilder().setUpperBound(0.5).setCumulativeCount(1))
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3));
    Histogram.Builder both = nativeInts().addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5));
    byte[] body = delimited(family("lat", MetricType.HISTOGRAM, metric("svc", "a").setHistogram(classic)),
        family("dual", MetricType.HISTOGRAM, metric().setHistogram(both)));

    // Native histograms scraped, classic twins kept: the twin of "dual" is not converted.
    List<String> withNative = entries(ExpositionFormat.PROMETHEUS_PROTOBUF, body, true, true);
    assertThat(withNative).hasSize(11);
    assertThat(withNative.subList(0, 4)).containsExactly("lat_count{svc=\"a\"} 4.0", "lat_sum{svc=\"a\"} 2.5",
        "lat_bucket{le=\"0.5\",svc=\"a\"} 1.0", "lat_bucket{le=\"1.0\",svc=\"a\"} 3.0");
    assertThat(withNative.get(5)).isEqualTo(
        "lat{svc=\"a\"} nhcb count=4.0 sum=2.5 bounds=[0.5, 1.0] buckets=[1.0, 2.0, 1.0]");
    assertThat(withNative.get(4)).isEqualTo("lat_bucket{le=\"+Inf\",svc=\"a\"} 4.0");
    assertThat(withNative.get(6)).startsWith("dual{} ").doesNotContain("nhcb");
    assertThat(withNative.subList(7, 11)).allMatch(s -> s.startsWith("dual_"));

    // Native histograms not scraped: both are read as classic and converted.
    assertThat(entries(ExpositionFormat.PROMETHEUS_PROTOBUF, body, false, false)).containsExactly(
        "lat{svc=\"a\"} nhcb count=4.0 sum=2.5 bounds=[0.5, 1.0] buckets=[1.0, 2.0, 1.0]",
        "dual{} nhcb count=12.0 sum=42.5 bounds=[1.0] buckets=[5.0, 7.0]");
  }

  @Test
  void aConvertedHistogramKeepsTheCreatedTimestampOfItsClassicSeries() {
    com.google.protobuf.Timestamp created = com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(1_700_000_000L).build();
    Histogram.Builder classic = Histogram.newBuilder().setSampleCount(4).setSampleSum(2.5)
        .setCreatedTimestamp(created)
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3));
    byte[] body = delimited(family("lat", MetricType.HISTOGRAM, metric().setHistogram(classic)),
        family("other", MetricType.HISTOGRAM, metric().setHistogram(Histogram.newBuilder()
            .setSampleCount(1).setSampleSum(1)
            .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(1)))));
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_PROTOBUF, body, false,
        false, true);
    List<String> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.HISTOGRAM) {
        out.add(p.labels().metricName() + " " + p.startTimestamp());
      }
    }
    assertThat(out).containsExactly("lat 1700000000000", "other 0");
  }

  @Test
  void theHistogramsCacheIdentityIsStableAndDistinct() {
    byte[] body = """
        # TYPE foo histogram
        foo_count{a="1"} 1
        foo_count{a="2"} 1
        """.getBytes(StandardCharsets.UTF_8);
    List<Long> first = hashes(body);
    assertThat(hashes(body)).isEqualTo(first);
    assertThat(first).hasSize(2).doesNotHaveDuplicates();
    // Different from the raw series the group started with.
    TextParser plain = TextParser.create(ExpositionFormat.PROMETHEUS_TEXT, body);
    while (plain.next() != Entry.SERIES) {
      // skip to the first series
    }
    assertThat(first).doesNotContain(plain.seriesHash());
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, body, false, false, true);
    while (p.next() != Entry.HISTOGRAM) {
      // skip to the histogram
    }
    byte[] key = p.seriesBytes();
    assertThat(p.seriesBytesEqual(key, 0, key.length)).isTrue();
    assertThat(p.seriesBytesEqual(plain.seriesBytes(), 0, plain.seriesBytes().length)).isFalse();
  }

  /**
   * Generated bodies (seeded): families of several label sets with random bounds and counts,
   * bucket lines shuffled, {@code +Inf} and {@code _count} sometimes left out. Every group must
   * come back as one histogram with the differences of its cumulative counts, in body order.
   */
  @Test
  void generatedHistogramsConvertToTheirBucketDifferences() {
    java.util.Random r = new java.util.Random(20261125);
    for (int round = 0; round < 300; round++) {
      StringBuilder body = new StringBuilder("# TYPE h histogram\n");
      List<String> expected = new ArrayList<>();
      int groups = 1 + r.nextInt(3);
      for (int g = 0; g < groups; g++) {
        int n = r.nextInt(5);
        double[] bounds = new double[n];
        double b = -1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          b += 0.25 * (1 + r.nextInt(8));
          bounds[i] = b;
        }
        long[] cumulative = new long[n + 1];
        long c = 0;
        for (int i = 0; i <= n; i++) {
          c += r.nextInt(4);
          cumulative[i] = c;
        }
        boolean withInf = r.nextBoolean();
        boolean withCount = !withInf || r.nextBoolean() || n == 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          lines.add("h_bucket{g=\"" + g + "\",le=\"" + bounds[i] + "\"} " + cumulative[i]);
        }
        if (withInf) {
          lines.add("h_bucket{g=\"" + g + "\",le=\"+Inf\"} " + cumulative[n]);
        }
        if (withCount) {
          lines.add("h_count{g=\"" + g + "\"} " + cumulative[n]);
        }
        lines.add("h_sum{g=\"" + g + "\"} " + g);
        java.util.Collections.shuffle(lines, r);
        lines.forEach(l -> body.append(l).append('\n'));
        double[] buckets = new double[n + 1];
        for (int i = 0; i <= n; i++) {
          buckets[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
        }
        expected.add("h{g=\"" + g + "\"} nhcb count=" + (double) cumulative[n] + " sum=" + (double) g + " bounds="
            + Arrays.toString(bounds) + " buckets=" + Arrays.toString(buckets));
      }
      assertThat(entries(ExpositionFormat.PROMETHEUS_TEXT, body.toString().getBytes(StandardCharsets.UTF_8), false, false))
          .as("round %d:%n%s", round, body).isEqualTo(expected);
    }
  }

  private static List<Long> hashes(byte[] body) {
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, body, false, false, true);
    List<Long> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.HISTOGRAM) {
        out.add(p.seriesHash());
      }
    }
    return out;
  }

  private static List<String> entries(ExpositionFormat format, byte[] body, boolean scrapeNative, boolean keepClassic) {
    ExpositionParser p = ExpositionParser.create(format, body, scrapeNative, keepClassic, true);
    List<String> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        out.add(name(p.labels()) + " " + p.value());
      } else if (e == Entry.HISTOGRAM) {
        out.add(render(p));
      }
    }
    return out;
  }

  private static String render(ExpositionParser p) {
    FloatHistogram h = p.histogram();
    String ts = p.hasTimestamp() ? " @" + p.timestamp() : "";
    if (!h.usesCustomBuckets()) {
      return name(p.labels()) + " " + h + ts;
    }
    double[] bounds = h.customValues();
    double[] buckets = new double[bounds.length + 1];
    int idx = 0;
    int k = 0;
    for (Span s : h.positiveSpans()) {
      idx += s.offset();
      for (int i = 0; i < s.length(); i++) {
        buckets[idx++] = h.positiveBuckets()[k++];
      }
    }
    return name(p.labels()) + " nhcb count=" + h.count() + " sum=" + h.sum() + " bounds=" + Arrays.toString(bounds)
        + " buckets=" + Arrays.toString(buckets) + ts;
  }

  private static String name(Labels l) {
    StringBuilder sb = new StringBuilder(l.metricName()).append('{');
    String sep = "";
    for (int i = 0; i < l.size(); i++) {
      if (!l.name(i).equals(Labels.METRIC_NAME)) {
        sb.append(sep).append(l.name(i)).append("=\"").append(l.value(i)).append('"');
        sep = ",";
      }
    }
    return sb.append('}').toString();
  }
}
