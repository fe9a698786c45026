package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import static dev.vigil.collector.exposition.ParsedEntry.comment;
import static dev.vigil.collector.exposition.ParsedEntry.help;
import static dev.vigil.collector.exposition.ParsedEntry.series;
import static dev.vigil.collector.exposition.ParsedEntry.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Prometheus text 0.0.4: the cases of Prometheus's promparse_test.go with its expectations. */
class PromTextParserTest {
  private static final ExpositionFormat F = ExpositionFormat.PROMETHEUS_TEXT;

  @Test
  void prometheusTestPromParse() {
    String input = """
        # HELP go_gc_duration_seconds A summary of the GC invocation durations.
        # \tTYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0"} 4.9351e-05
        go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
        go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
        go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
        go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
        # HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.
        # TYPE prometheus_http_request_duration_seconds histogram
        prometheus_http_request_duration_seconds_bucket{handler="/",le="1"} 423
        prometheus_http_request_duration_seconds_bucket{handler="/",le="2"} 1423
        prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"} 1423
        prometheus_http_request_duration_seconds_sum{handler="/"} 2000
        prometheus_http_request_duration_seconds_count{handler="/"} 1423
        # Hrandom comment starting with prefix of HELP
        #
        wind_speed{A="2",c="3"} 12345
        # comment with escaped \\n newline
        # comment with escaped \\ escape character
        # HELP nohelp1
        # HELP nohelp2\s
        go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
        go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
        go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
        go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
        go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
        go_gc_duration_seconds_count 99
        some:aggregate:rate5m{a_b="c"}\t1
        # HELP go_goroutines Number of goroutines that currently exist.
        # TYPE go_goroutines gauge
        go_goroutines 33  \t123123
        # TYPE some_counter_total counter
        # HELP some_counter_total Help after type.
        some_counter_total 12
        # HELP nohelp3
        _metric_starting_with_underscore 1
        testmetric{_label_starting_with_underscore="foo"} 1
        testmetric{label="\\"bar\\""} 1
        testmetric{le="10"} 1
        # HELP metric foo\u0000bar
        null_byte_metric{a="abc\u0000"} 1""";
    Labels q00 = Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.0");
    assertThat(ParsedEntry.parseAll(F, input)).containsExactly(
        help("go_gc_duration_seconds", "A summary of the GC invocation durations."),
        type("go_gc_duration_seconds", MetricType.SUMMARY),
        series(q00, 4.9351e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.25"), 7.424100000000001e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.5", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.8", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.9", "a", "b"), 8.3835e-05),
        help("prometheus_http_request_duration_seconds", "Histogram of latencies for HTTP requests."),
        type("prometheus_http_request_duration_seconds", MetricType.HISTOGRAM),
        series(Labels.of("__name__", "prometheus_http_request_duration_seconds_bucket", "handler", "/", "le", "1.0"), 423),
        series(Labels.of("__name__", "prometheus_http_request_duration_seconds_bucket", "handler", "/", "le", "2.0"), 1423),
        series(Labels.of("__name__", "prometheus_http_request_duration_seconds_bucket", "handler", "/", "le", "+Inf"), 1423),
        series(Labels.of("__name__", "prometheus_http_request_duration_seconds_sum", "handler", "/"), 2000),
        series(Labels.of("__name__", "prometheus_http_request_duration_seconds_count", "handler", "/"), 1423),
        comment("# Hrandom comment starting with prefix of HELP"),
        comment("#"),
        series(Labels.of("__name__", "wind_speed", "A", "2", "c", "3"), 12345),
        comment("# comment with escaped \\n newline"),
        comment("# comment with escaped \\ escape character"),
        help("nohelp1", ""),
        help("nohelp2", ""),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "1.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "1.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "1.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "1.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "2.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go_gc_duration_seconds_count"), 99),
        series(Labels.of("__name__", "some:aggregate:rate5m", "a_b", "c"), 1),
        help("go_goroutines", "Number of goroutines that currently exist."),
        type("go_goroutines", MetricType.GAUGE),
        series(Labels.of("__name__", "go_goroutines"), 33, 123123),
        type("some_counter_total", MetricType.COUNTER),
        help("some_counter_total", "Help after type."),
        series(Labels.of("__name__", "some_counter_total"), 12),
        help("nohelp3", ""),
        series(Labels.of("__name__", "_metric_starting_with_underscore"), 1),
        series(Labels.of("__name__", "testmetric", "_label_starting_with_underscore", "foo"), 1),
        series(Labels.of("__name__", "testmetric", "label", "\"bar\""), 1),
        series(Labels.of("__name__", "testmetric", "le", "10"), 1),
        help("metric", "foo\u0000bar"),
        series(Labels.of("__name__", "null_byte_metric", "a", "abc\u0000"), 1));
  }

  @Test
  void prometheusTestUtf8PromParse() {
    String input = """
        # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
        # \tTYPE "go.gc_duration_seconds" summary
        {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
        {"go.gc_duration_seconds",quantile="0.25",} 7.424100000000001e-05
        {"go.gc_duration_seconds", quantile="0.9", a="b"} 8.3835e-05
        { "go.gc_duration_seconds", quantile = "1.0", a = "b" } 8.3835e-05
        {"go.gc_duration_seconds_count"} 99
        {"Heizölrückstoßabdämpfung 10€ metric with \\"interesting\\" {character\\nchoices}","strange©™\\n'quoted' \\"name\\""="6"} 10.0""";
    assertThat(ParsedEntry.parseAll(F, input)).containsExactly(
        help("go.gc_duration_seconds", "A summary of the GC invocation durations."),
        type("go.gc_duration_seconds", MetricType.SUMMARY),
        series(Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.0"), 4.9351e-05),
        series(Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.25"), 7.424100000000001e-05),
        series(Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.9", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go.gc_duration_seconds", "quantile", "1.0", "a", "b"), 8.3835e-05),
        series(Labels.of("__name__", "go.gc_duration_seconds_count"), 99),
        series(Labels.of("__name__", "Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}",
            "strange©™\n'quoted' \"name\"", "6"), 10));
  }

  @Test
  void specialValuesAndTimestamps() {
    var entries = ParsedEntry.parseAll(F, "a NaN\nb +Inf\nc -Inf 1700000000000\nd -0.5e3 -1\n".replace(" -1\n", "\n"));
    assertThat(entries.get(0).value()).isNaN();
    assertThat(entries.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(entries.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(entries.get(2).timestamp()).isEqualTo(1700000000000L);
    assertThat(entries.get(3).value()).isEqualTo(-500.0);
  }

  @Test
  void blankLinesAndMissingFinalNewline() {
    assertThat(ParsedEntry.parseAll(F, "\n\n  \na 1\n\nb 2")).hasSize(2);
  }

  /** Prometheus's TestPromParseErrors and TestPromNullByteHandling: its message, our position. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "a|1:2: expected value after metric, got \"\" while parsing: \"a\"",
    "a{b='c'} 1\\n|1:5: expected label value, got \"'\" while parsing: \"a{b='\"",
    "a{b=\\n|1:5: expected label value",
    "a{\\xff=\"foo\"} 1\\n|1:3: expected label name, got \"\\xff\" while parsing: \"a{\\xff\"",
    "a{b=\"\\xff\"} 1\\n|1:5: invalid UTF-8 label value: \"\\\"\\xff\\\"\"",
    "{\"a\", \"b = \"c\"}|expected equal",
    "{\"a\",b\\\\nc=\"d\"} 1|expected equal",
    "a true\\n|1:3: strconv.ParseFloat: parsing \"true\": invalid syntax while parsing: \"a true\"",
    "something_weird{problem=\"|expected label value",
    "empty_label_name{=\"\"} 0|expected label name",
    "{A}0|expected equal",
    "foo 1_2\\n|unsupported character in float while parsing: \"foo 1_2\"",
    "foo 0x1p-3\\n|unsupported character in float while parsing: \"foo 0x1p-3\"",
    "foo 0 1_2\\n|1:8: expected next entry after timestamp, got \"_\"",
    "{a=\"ok\"} 1|metric name not set while parsing: \"{a=\\\"ok\\\"} 1\"",
    "# TYPE #\\n#EOF\\n|1:8: expected metric name after TYPE",
    "# HELP #\\n#EOF\\n|1:8: expected metric name after HELP",
    "a{b=\\x00\"ssss\"} 1\\n|expected label value",
    "a{b\\x00=\"hiih\"}\t1|expected equal",
    "a\\x00{b=\"ddd\"} 1|expected value after metric",
    "a 0 1\\x00|expected next entry after timestamp",
    "ok 1\\nbad{|2:5: expected label name",
    "# TYPE x histo\\n|invalid metric type \"histo\"",
    "x 1e400\\n|value out of range",
    "x 1 99999999999999999999\\n|value out of range",
    "x{a=\"1\",a=\"2\"} 1\\n|label name \"a\" is not unique",
  })
  void errors(String input, String expected) {
    byte[] bytes = unescapeTestString(input);
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

  static byte[] unescapeTestString(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == 'n') {
          out.write('\n');
          i++;
          continue;
        }
        if (n == 'x') {
          out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
          i += 3;
          continue;
        }
        if (n == '\\') {
          out.write('\\');
          i++;
          continue;
        }
      }
      byte[] enc = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.write(enc, 0, enc.length);
    }
    return out.toByteArray();
  }
}
