package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenMetrics {@code _created} lines read as start timestamps ({@code createdAsStart}): the cases
 * of Prometheus's openmetricsparse_test.go for created timestamps, and the edges around them.
 */
class OpenMetricsCreatedTest {
  private static final ExpositionFormat OM = ExpositionFormat.OPENMETRICS_TEXT;

  /** Each series as "labels st", in order. */
  private static List<String> read(ExpositionFormat format, String body, boolean createdAsStart) {
    TextParser p = TextParser.create(format, body.getBytes(StandardCharsets.UTF_8), createdAsStart);
    List<String> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        out.add(p.labels() + " " + p.startTimestamp());
      }
    }
    return out;
  }

  private static final String PROMETHEUS_CASES = """
      # TYPE foo counter
      foo_total 17.0 1520879607.789 # {id="counter-test"} 5
      foo_created 1520872607.123
      foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
      foo_created{a="b"} 1520872607.123
      foo_total{le="c"} 21.0
      foo_created{le="c"} 1520872621.123
      foo_total{le="1"} 10.0
      # HELP bar Summary with its _created line several lines after its first series
      # TYPE bar summary
      bar_count 17.0
      bar_sum 324789.3
      bar{quantile="0.95"} 123.7
      bar{quantile="0.99"} 150.0
      bar_created 1520872608.124
      # TYPE baz histogram
      baz_bucket{le="0.0"} 0
      baz_bucket{le="+Inf"} 17
      baz_count 17
      baz_sum 324789.3
      baz_created 1520872609.125
      # TYPE fizz_created gauge
      fizz_created 17.0
      # TYPE something histogram
      something_count 18
      something_sum 324789.4
      something_created 1520430001
      something_bucket{le="0.0"} 1
      something_bucket{le="+Inf"} 18
      # TYPE foobar summary
      foobar_count 21
      foobar_created 1520430004
      foobar_sum 324789.6
      foobar{quantile="0.95"} 123.8
      # EOF
      """;

  @Test
  void createdLinesGiveTheirMetricsStartTimestampAndAreNoSeries() {
    assertThat(read(OM, PROMETHEUS_CASES, true)).containsExactly(
        "{__name__=\"foo_total\"} 1520872607123",
        "{__name__=\"foo_total\", a=\"b\"} 1520872607123",
        // A counter's le label is an ordinary label: it must match.
        "{__name__=\"foo_total\", le=\"c\"} 1520872621123",
        "{__name__=\"foo_total\", le=\"1\"} 0",
        "{__name__=\"bar_count\"} 1520872608124",
        "{__name__=\"bar_sum\"} 1520872608124",
        "{__name__=\"bar\", quantile=\"0.95\"} 1520872608124",
        "{__name__=\"bar\", quantile=\"0.99\"} 1520872608124",
        "{__name__=\"baz_bucket\", le=\"0.0\"} 1520872609125",
        "{__name__=\"baz_bucket\", le=\"+Inf\"} 1520872609125",
        "{__name__=\"baz_count\"} 1520872609125",
        "{__name__=\"baz_sum\"} 1520872609125",
        // A gauge has no _created line: a series whose name ends so is a series.
        "{__name__=\"fizz_created\"} 0",
        "{__name__=\"something_count\"} 1520430001000",
        "{__name__=\"something_sum\"} 1520430001000",
        // After the metric's _created line: the line found is kept.
        "{__name__=\"something_bucket\", le=\"0.0\"} 1520430001000",
        "{__name__=\"something_bucket\", le=\"+Inf\"} 1520430001000",
        "{__name__=\"foobar_count\"} 1520430004000",
        "{__name__=\"foobar_sum\"} 1520430004000",
        "{__name__=\"foobar\", quantile=\"0.95\"} 1520430004000");
  }

  @Test
  void withoutTheOptionCreatedLinesAreSeries() {
    List<String> plain = read(OM, PROMETHEUS_CASES, false);
    assertThat(plain).hasSize(27).allMatch(s -> s.endsWith(" 0"));
    assertThat(plain).contains("{__name__=\"foo_created\", a=\"b\"} 0",
        "{__name__=\"something_created\"} 0");
  }

  @Test
  void prometheusTextHasNoCreatedLines() {
    String body = """
        # TYPE foo counter
        foo_total 17
        foo_created 1520872607.123
        """;
    assertThat(read(ExpositionFormat.PROMETHEUS_TEXT, body, true)).containsExactly(
        "{__name__=\"foo_total\"} 0", "{__name__=\"foo_created\"} 0");
  }

  @Test
  void theLookAheadStopsAtTheNextMetricsCreatedLineAndAtMetadata() {
    String body = """
        # TYPE a counter
        a_total 1
        a_created 5
        # TYPE c counter
        c_total{x="1"} 1
        c_total{x="2"} 2
        c_created{x="2"} 100
        c_total{x="3"} 3
        # TYPE d counter
        d_created 200
        d_total 4
        # TYPE e counter
        e_total{x="1"} 1
        e_created{x="2"} 300
        e_total{x="2"} 2
        # EOF
        """;
    // x="1": the first _created line ahead is x="2"'s, so x="1" has none (as Prometheus); x="3":
    // metadata comes first. d: its _created line is before its series, which finds none ahead.
    assertThat(read(OM, body, true)).containsExactly(
        "{__name__=\"a_total\"} 5000",
        "{__name__=\"c_total\", x=\"1\"} 0",
        "{__name__=\"c_total\", x=\"2\"} 100000",
        "{__name__=\"c_total\", x=\"3\"} 0",
        "{__name__=\"d_total\"} 0",
        // e, x="2": its _created line comes before it and was met, not matched: as d.
        "{__name__=\"e_total\", x=\"1\"} 0",
        "{__name__=\"e_total\", x=\"2\"} 0");
  }

  /**
   * Many exporters write no _created lines. A family of n such counters must not make every
   * series read the rest of the family again (n²/2 lines): what one look-ahead found (nothing up
   * to a line, or the first _created line) answers the series before that line.
   */
  @Test
  void lookAheadReadsEachLineOfAFamilyWithoutCreatedLinesOnce() {
    int n = 5_000;
    StringBuilder sb = new StringBuilder("# TYPE c counter\n");
    for (int i = 0; i < n; i++) {
      sb.append("c_total{i=\"").append(i).append("\"} 1\n");
    }
    sb.append("# TYPE h histogram\n");
    for (int i = 0; i < n; i++) {
      sb.append("h_bucket{le=\"").append(i).append("\"} 1\n");
    }
    sb.append("h_count 1\nh_created 7\n# EOF\n");
    TextParser p = TextParser.create(OM, sb.toString().getBytes(StandardCharsets.UTF_8), true);
    int withStart = 0;
    int series = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        series++;
        withStart += p.startTimestamp() == 7000 ? 1 : 0;
      }
    }
    assertThat(series).isEqualTo(2 * n + 1);
    assertThat(withStart).as("every bucket and the count").isEqualTo(n + 1);
    assertThat(p.linesReadAhead()).isLessThanOrEqualTo(2L * n + 10);
  }

  @Test
  void quotedNamesFractionalSecondsAndUnusableValues() {
    String body = """
        # TYPE "my.counter" counter
        {"my.counter_total",a="b"} 1
        {"my.counter_created",a="b"} 1700000000.123
        # TYPE neg counter
        neg_total 1
        neg_created -5
        # TYPE nan counter
        nan_total 1
        nan_created NaN
        # EOF
        """;
    assertThat(read(OM, body, true)).containsExactly(
        "{__name__=\"my.counter_total\", a=\"b\"} 1700000000123",
        "{__name__=\"neg_total\"} 0",
        "{__name__=\"nan_total\"} 0");
  }

  @Test
  void aSeriesOfAnotherFamilyUnderTheTypeLineGetsNone() {
    String body = """
        # TYPE foo counter
        bar_total 1
        foo_created 5
        # EOF
        """;
    assertThat(read(OM, body, true)).containsExactly("{__name__=\"bar_total\"} 0");
  }

  @Test
  void aBrokenLineAheadGivesNoStartTimestampAndFailsTheParseWhereItIs() {
    String body = """
        # TYPE foo counter
        foo_total 1
        foo_created not-a-number
        # EOF
        """;
    TextParser p = TextParser.create(OM, body.getBytes(StandardCharsets.UTF_8), true);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.startTimestamp()).isZero();
    assertThat(p.value()).isEqualTo(1.0); // the look-ahead left the current entry alone
    assertThatThrownBy(p::next).isInstanceOf(ExpositionParseException.class)
        .hasMessageContaining("3:");
  }

  @Test
  void theLookAheadLeavesTheCurrentEntryAlone() {
    String body = """
        # TYPE h histogram
        h_bucket{le="1",path="/a"} 3 # {trace_id="t"} 0.5 1520879607.0
        h_count{path="/a"} 3
        h_created{path="/a"} 1520000000
        h_bucket{le="+Inf",path="/b"} 1
        # EOF
        """;
    TextParser p = TextParser.create(OM, body.getBytes(StandardCharsets.UTF_8), true);
    p.next();
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.startTimestamp()).isEqualTo(1520000000000L);
    assertThat(p.labels().toString()).isEqualTo("{__name__=\"h_bucket\", le=\"1.0\", path=\"/a\"}");
    assertThat(p.value()).isEqualTo(3.0);
    assertThat(p.exemplar()).isNotNull();
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.startTimestamp()).isEqualTo(1520000000000L);
    // The _created line, read ahead already, is passed over; lines are still counted.
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.line()).isEqualTo(5);
    assertThat(p.labels().get("path")).isEqualTo("/b");
    assertThat(p.startTimestamp()).isZero();
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }
}
