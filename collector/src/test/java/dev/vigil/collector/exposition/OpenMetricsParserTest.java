package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import static dev.vigil.collector.exposition.ParsedEntry.help;
import static dev.vigil.collector.exposition.ParsedEntry.series;
import static dev.vigil.collector.exposition.ParsedEntry.type;
import static dev.vigil.collector.exposition.ParsedEntry.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenMetrics 1.0 text: cases of Prometheus's openmetricsparse_test.go. */
class OpenMetricsParserTest {
  private static final ExpositionFormat F = ExpositionFormat.OPENMETRICS_TEXT;

  @Test
  void prometheusTestOpenMetricsParse() {
    String input = """
        # HELP go_gc_duration_seconds A summary of the GC invocation durations.
        # TYPE go_gc_duration_seconds summary
        # UNIT go_gc_duration_seconds seconds
        go_gc_duration_seconds{quantile="0"} 4.9351e-05
        go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
        # HELP nohelp1\s
        # HELP help2 escape \\ \\n \\\\ \\" \\x chars
        # UNIT nounit\s
        go_gc_duration_seconds_count 99
        some:aggregate:rate5m{a_b="c"} 1
        # TYPE go_goroutines gauge
        go_goroutines 33 123.123
        # TYPE gh gaugehistogram
        gh_bucket{le="+Inf"} 1
        # TYPE hhh histogram
        hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
        hhh_count 1 # {id="histogram-count-test"} 4
        # TYPE ggh gaugehistogram
        ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
        # TYPE ii info
        ii{foo="bar"} 1
        # TYPE ss stateset
        ss{ss="foo"} 1
        # TYPE un unknown
        testmetric{label="\\"bar\\""} 1
        # TYPE foo counter
        foo_total 17.0 1520879607.789 # {id="counter-test"} 5
        # TYPE baz histogram
        baz_bucket{le="0.0"} 0
        baz_bucket{le="1"} 2
        # EOF
        """;
    assertThat(ParsedEntry.parseAll(F, input)).containsExactly(
        help("go_gc_duration_seconds", "A summary of the GC invocation durations."),
        type("go_gc_duration_seconds", MetricType.SUMMARY),
        unit("go_gc_duration_seconds", "seconds"),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.0"), 4.9351e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.5", "a", "b"), 8.3835e-05),
        help("nohelp1", ""),
        help("help2", "escape \\ \n \\ \" \\x chars"),
        unit("nounit", ""),
        series(Labels.of("__name__", "go_gc_duration_seconds_count"), 99),
        series(Labels.of("__name__", "some:aggregate:rate5m", "a_b", "c"), 1),
        type("go_goroutines", MetricType.GAUGE),
        series(Labels.of("__name__", "go_goroutines"), 33, 123123L),
        type("gh", MetricType.GAUGEHISTOGRAM),
        series(Labels.of("__name__", "gh_bucket", "le", "+Inf"), 1),
        type("hhh", MetricType.HISTOGRAM),
        series(Labels.of("__name__", "hhh_bucket", "le", "+Inf"), 1, null,
            new Exemplar(Labels.of("id", "histogram-bucket-test"), 4, false, 0)),
        series(Labels.of("__name__", "hhh_count"), 1, null,
            new Exemplar(Labels.of("id", "histogram-count-test"), 4, false, 0)),
        type("ggh", MetricType.GAUGEHISTOGRAM),
        series(Labels.of("__name__", "ggh_bucket", "le", "+Inf"), 1, null,
            new Exemplar(Labels.of("id", "gaugehistogram-bucket-test", "xx", "yy"), 4, true, 123123)),
        type("ii", MetricType.INFO),
        series(Labels.of("__name__", "ii", "foo", "bar"), 1),
        type("ss", MetricType.STATESET),
        series(Labels.of("__name__", "ss", "ss", "foo"), 1),
        type("un", MetricType.UNKNOWN),
        series(Labels.of("__name__", "testmetric", "label", "\"bar\""), 1),
        type("foo", MetricType.COUNTER),
        series(Labels.of("__name__", "foo_total"), 17, 1520879607789L,
            new Exemplar(Labels.of("id", "counter-test"), 5, false, 0)),
        type("baz", MetricType.HISTOGRAM),
        series(Labels.of("__name__", "baz_bucket", "le", "0.0"), 0),
        series(Labels.of("__name__", "baz_bucket", "le", "1.0"), 2));
  }

  @Test
  void utf8Names() {
    String input = """
        # TYPE "go.gc_duration_seconds" summary
        {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
        {"http.status",q="0.9","a.b"="c"} 8.3835e-05
        # EOF""";
    assertThat(ParsedEntry.parseAll(F, input)).containsExactly(
        type("go.gc_duration_seconds", MetricType.SUMMARY),
        series(Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.0"), 4.9351e-05),
        series(Labels.of("__name__", "http.status", "q", "0.9", "a.b", "c"), 8.3835e-05));
  }

  /** Prometheus's TestOpenMetricsParseErrors (its messages; ours add line:column). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "|data does not end with # EOF",
    "\\n|1:1: expected a valid start token",
    "metric|expected value after metric",
    "metric 1|data does not end with # EOF",
    "metric 1\\n|data does not end with # EOF",
    "metric_total 1 # {aa=\"bb\"} 4|data does not end with # EOF",
    "a\\n#EOF\\n|expected value after metric",
    "\\n\\n#EOF\\n|expected a valid start token",
    "` a 1\\n#EOF\\n`|expected a valid start token",
    "9\\n#EOF\\n|expected a valid start token",
    "# TYPE u untyped\\n#EOF\\n|invalid metric type \"untyped\"",
    "# TYPE c counter \\n#EOF\\n|invalid metric type \"counter \"",
    "#  TYPE c counter\\n#EOF\\n|expected a valid start token",
    "# TYPE \\n#EOF\\n|expected metric name after TYPE",
    "# TYPE m\\n#EOF\\n|expected text in TYPE",
    "# UNIT metric suffix\\n#EOF\\n|unit \"suffix\" not a suffix of metric \"metric\"",
    "# UNIT metricsuffix suffix\\n#EOF\\n|unit \"suffix\" not a suffix of metric \"metricsuffix\"",
    "# UNIT m suffix\\n#EOF\\n|unit \"suffix\" not a suffix of metric \"m\"",
    "# UNIT \\n#EOF\\n|expected metric name after UNIT",
    "# UNIT m\\n#EOF\\n|expected text in UNIT",
    "# HELP \\n#EOF\\n|expected metric name after HELP",
    "# HELP m\\n#EOF\\n|expected text in HELP",
    "a\t1\\n#EOF\\n|expected value after metric",
    "a 1\t2\\n#EOF\\n|strconv.ParseFloat: parsing \"1\\t2\": invalid syntax while parsing: \"a 1\\t2\"",
    "a 1 2 \\n#EOF\\n|expected next entry after timestamp",
    "a 1 2 #\\n#EOF\\n|expected next entry after timestamp",
    "a 1 1z\\n#EOF\\n|strconv.ParseFloat: parsing \"1z\": invalid syntax while parsing: \"a 1 1z\"",
    "` # EOF\\n`|expected a valid start token",
    "# EOF\\na 1|unexpected data after # EOF",
    "# EOF\\n\\n|unexpected data after # EOF",
    "# EOFa 1|unexpected data after # EOF",
    "#\tTYPE c counter\\n|expected a valid start token",
    "# TYPE c  counter\\n|invalid metric type \" counter\"",
    "a 1 1 1\\n# EOF\\n|expected next entry after timestamp",
    "a{b='c'} 1\\n# EOF\\n|expected label value",
    "a{,b=\"c\"} 1\\n# EOF\\n|expected label name",
    "a{b=\"c\"d=\"e\"} 1\\n# EOF\\n|expected comma or brace close",
    "a{b=\"c\",,d=\"e\"} 1\\n# EOF\\n|expected label name",
    "a{b=\\n# EOF\\n|expected label value",
    "a{\\xff=\"foo\"} 1\\n# EOF\\n|expected label name",
    "a{b=\"\\xff\"} 1\\n# EOF\\n|invalid UTF-8 label value",
    "a true\\n|strconv.ParseFloat: parsing \"true\": invalid syntax",
    "something_weird{problem=\"\\n# EOF\\n|expected label value",
    "empty_label_name{=\"\"} 0\\n# EOF\\n|expected label name",
    "{A}0\\n# EOF\\n|expected equal",
    "foo 1_2\\n\\n# EOF\\n|unsupported character in float",
    "foo 0 1_2\\n\\n# EOF\\n|unsupported character in float",
    "custom_metric_total 1 # {aa=bb}\\n# EOF\\n|expected label value",
    "custom_metric_total 1 # {aa=\"bb\"}\\n# EOF\\n|expected value after exemplar labels",
    "custom_metric_total 1 # {aa=\"bb\"}|expected value after exemplar labels",
    "custom_metric_total 1 # {bb}|expected equal",
    "custom_metric_total 1 # {bb, a=\"dd\"}|expected equal",
    "custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1|expected label name",
    "custom_metric_total 1 # {aa=\"bb\"} 1_2|unsupported character in float",
    "custom_metric_total 1 # {aa=\"bb\"} true|strconv.ParseFloat: parsing \"true\": invalid syntax",
    "custom_metric_total 1 # {aa=\"bb\",cc=}|expected label value",
    "{b=\"c\",} 1|metric name not set",
    "a 1 NaN|invalid timestamp NaN",
    "a 1 -Inf|invalid timestamp -Inf",
    "a 1 Inf|invalid timestamp +Inf",
    "# TYPE hhh histogram\\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN|2:",
    "# TYPE hhh histogram\\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf|invalid exemplar timestamp -Inf",
  })
  void errors(String input, String expected) {
    byte[] bytes = input == null ? new byte[0] : PromTextParserTest.unescapeTestString(input);
    assertThatThrownBy(() -> {
          TextParser p = TextParser.create(F, bytes);
          for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
              p.labels();
            }
          }
        })
        .isInstanceOf(ExpositionParseException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void eofWithOrWithoutNewline() {
    assertThat(ParsedEntry.parseAll(F, "# EOF")).isEmpty();
    assertThat(ParsedEntry.parseAll(F, "# EOF\n")).isEmpty();
  }
}
