package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HistogramNotationTest {

  @Test
  void parsesEveryFieldOfTheFormatExample() {
    HistogramNotation.Literal lit = HistogramNotation.parseLiteral(
        "{{schema:1 sum:-0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3"
            + " n_buckets:[4.1 5] n_offset:-5 counter_reset_hint:gauge}}");
    FloatHistogram h = lit.histogram();
    assertThat(lit.counterResetHintSet()).isTrue();
    assertThat(h.schema()).isEqualTo(1);
    assertThat(h.sum()).isEqualTo(-0.3);
    assertThat(h.count()).isEqualTo(3.1);
    assertThat(h.zeroCount()).isEqualTo(7.1);
    assertThat(h.zeroThreshold()).isEqualTo(0.05);
    assertThat(h.positiveSpans()).containsExactly(new Span(-3, 3));
    assertThat(h.positiveBuckets()).containsExactly(5.1, 10, 7);
    assertThat(h.negativeSpans()).containsExactly(new Span(-5, 2));
    assertThat(h.negativeBuckets()).containsExactly(4.1, 5);
    assertThat(h.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
  }

  @Test
  void zerosInsideBucketListsStayExplicitInOneSpan() {
    FloatHistogram h = HistogramNotation.parse("{{buckets:[0 1 0 0 2 0]}}");
    assertThat(h.positiveSpans()).containsExactly(new Span(0, 6));
    assertThat(h.positiveBuckets()).containsExactly(0, 1, 0, 0, 2, 0);
  }

  @Test
  void defaultsAndEmptyLiteral() {
    HistogramNotation.Literal lit = HistogramNotation.parseLiteral("{{}}");
    assertThat(lit.counterResetHintSet()).isFalse();
    assertThat(lit.histogram().schema()).isZero();
    assertThat(lit.histogram().counterResetHint()).isEqualTo(CounterResetHint.UNKNOWN);
    assertThat(HistogramNotation.parse("{{ }}").count()).isZero();
  }

  @Test
  void customValuesAndSpecialNumbers() {
    FloatHistogram h = HistogramNotation.parse(
        "{{schema:-53 sum:NaN count:Inf custom_values:[0.1 1 Inf] buckets:[1 -Inf 0x10]}}");
    assertThat(h.usesCustomBuckets()).isTrue();
    assertThat(h.customValues()).containsExactly(0.1, 1, Double.POSITIVE_INFINITY);
    assertThat(h.sum()).isNaN();
    assertThat(h.count()).isInfinite();
    assertThat(h.positiveBuckets()).containsExactly(1, Double.NEGATIVE_INFINITY, 16);
  }

  @Test
  void integersFollowGoParseIntBaseZero() {
    assertThat(HistogramNotation.parse("{{buckets:[010 08 0.5 007 1e3]}}").positiveBuckets())
        .containsExactly(8, 8, 0.5, 7, 1000);
  }

  @Test
  void parseAtReportsTheEndForSeriesExpansion() {
    String line = "  {{schema:0 sum:1 count:1 buckets:[1]}}+{{sum:2 count:2 buckets:[2]}}x2";
    HistogramNotation.Literal base = HistogramNotation.parseAt(line, 2);
    assertThat(line.charAt(base.end())).isEqualTo('+');
    HistogramNotation.Literal inc = HistogramNotation.parseAt(line, base.end() + 1);
    assertThat(line.substring(inc.end())).isEqualTo("x2");
    List<FloatHistogram> series =
        HistogramNotation.series(base.histogram(), inc.histogram(), 2, false);
    assertThat(series).extracting(FloatHistogram::count).containsExactly(1.0, 3.0, 5.0);
    assertThat(HistogramNotation.format(series.get(2)))
        .isEqualTo("{{count:5 sum:5 buckets:[5]}}");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        argumentSet("duplicate key", "{{sum:1 sum:2}}"),
        argumentSet("unknown key", "{{foo:1}}"),
        argumentSet("missing colon", "{{sum 1}}"),
        argumentSet("bad number", "{{sum:1x}}"),
        argumentSet("unterminated", "{{sum:1"),
        argumentSet("bad hint", "{{counter_reset_hint:maybe}}"),
        argumentSet("float schema", "{{schema:1.5}}"),
        argumentSet("java suffix", "{{sum:1d}}"),
        argumentSet("trailing text", "{{sum:1}} 5"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void rejectsMalformedLiterals(String text) {
    assertThatThrownBy(() -> HistogramNotation.parse(text))
        .isInstanceOf(HistogramNotation.HistogramNotationException.class);
  }

  static Stream<Arguments> goFloats() {
    return Stream.of(
        argumentSet("integer", 5.0, "5"),
        argumentSet("fraction", 0.3, "0.3"),
        argumentSet("large integer below 1e6", 123456.0, "123456"),
        argumentSet("1e6", 1e6, "1e+06"),
        argumentSet("Prometheus String test", 2349209.324, "2.349209324e+06"),
        argumentSet("small", 0.0001, "0.0001"),
        argumentSet("smaller", 0.00001, "1e-05"),
        argumentSet("negative", -1.5e-7, "-1.5e-07"),
        argumentSet("huge", 1e100, "1e+100"),
        argumentSet("inf", Double.POSITIVE_INFINITY, "+Inf"),
        argumentSet("neg inf", Double.NEGATIVE_INFINITY, "-Inf"),
        argumentSet("nan", Double.NaN, "NaN"));
  }

  @ParameterizedTest
  @MethodSource("goFloats")
  void formatsFloatsLikeGoPercentG(double v, String expected) {
    assertThat(HistogramNotation.formatFloat(v)).isEqualTo(expected);
  }

  @Test
  void formatCompactsIntoOneSpanPerSide() {
    FloatHistogram h = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 1, 0.001, 2, 10, 3.5,
        List.of(new Span(-1, 1), new Span(2, 2)), new double[] {1, 0, 3},
        List.of(new Span(0, 1)), new double[] {4}, null);
    assertThat(HistogramNotation.format(h)).isEqualTo(
        "{{schema:1 count:10 sum:3.5 z_bucket:2 z_bucket_w:0.001 counter_reset_hint:not_reset"
            + " offset:-1 buckets:[1 0 0 0 3] n_buckets:[4]}}");
    FloatHistogram nhcb = HistogramNotation.parse(
        "{{schema:-53 count:3 sum:2 custom_values:[1 2.5] buckets:[1 2] offset:1}}");
    assertThat(HistogramNotation.format(nhcb))
        .isEqualTo("{{schema:-53 count:3 sum:2 custom_values:[1 2.5] offset:1 buckets:[1 2]}}");
  }

  @Test
  void matchesExpectedLikePromqltest() {
    FloatHistogram exp = HistogramNotation.parse("{{count:3 sum:2 buckets:[1 0 2]}}");
    FloatHistogram act = new FloatHistogram(CounterResetHint.GAUGE, 0, 0, 0, 3.0000001, 2, List.of(
        new Span(0, 1), new Span(1, 1)), new double[] {1, 2}, List.of(), new double[0], null);
    assertThat(HistogramNotation.matchesExpected(exp, act, false)).isTrue();
    assertThat(HistogramNotation.matchesExpected(exp, act, true)).isFalse();
    assertThat(HistogramNotation.matchesExpected(
        HistogramNotation.parseLiteral("{{count:3 sum:2 buckets:[1 0 2] counter_reset_hint:gauge}}"),
        act)).isTrue();
    assertThat(HistogramNotation.matchesExpected(
        HistogramNotation.parse("{{count:3.01 sum:2 buckets:[1 0 2]}}"), act, false)).isFalse();
    assertThat(HistogramNotation.matchesExpected(
        HistogramNotation.parse("{{count:3 sum:2 buckets:[1 2]}}"), act, false)).isFalse();
    assertThat(HistogramNotation.matchesExpected(
        HistogramNotation.parse("{{schema:1 count:3 sum:2 buckets:[1 0 2]}}"), act, false))
        .isFalse();
  }

  @Test
  void almostEqualFollowsPrometheus() {
    assertThat(HistogramNotation.almostEqual(1, 1.0000001, 1e-6)).isTrue();
    assertThat(HistogramNotation.almostEqual(1, 1.00001, 1e-6)).isFalse();
    assertThat(HistogramNotation.almostEqual(0, 1e-300, 1e-6)).isFalse();
    assertThat(HistogramNotation.almostEqual(Double.NaN, Double.NaN, 1e-6)).isTrue();
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    assertThat(HistogramNotation.almostEqual(stale, Double.NaN, 1e-6)).isFalse();
    assertThat(HistogramNotation.almostEqual(stale, stale, 1e-6)).isTrue();
  }

  private static final Pattern LITERAL = Pattern.compile("\\{\\{[^}]*}}");

  /**
   * Every literal of the shared conformance scripts (read in place, never copied) parses, and
   * format then parse gives the same histogram after compaction.
   */
  @Test
  void everyConformanceLiteralRoundTrips() throws IOException {
    String dir = System.getProperty("vigil.conformance.dir");
    Path promql = dir == null ? null : Path.of(dir, "promql");
    org.junit.jupiter.api.Assumptions.assumeTrue(promql != null && Files.isDirectory(promql),
        "conformance data not found");
    List<String> failures = new ArrayList<>();
    int literals = 0;
    try (Stream<Path> files = Files.list(promql)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.stripLeading().startsWith("#")) {
            continue;
          }
          Matcher m = LITERAL.matcher(line);
          while (m.find()) {
            literals++;
            try {
              FloatHistogram h = HistogramNotation.parse(m.group());
              FloatHistogram back = HistogramNotation.parse(HistogramNotation.format(h));
              if (!back.equalsExact(h.compact(Integer.MAX_VALUE))
                  || back.counterResetHint() != h.counterResetHint()) {
                failures.add(f.getFileName() + ":" + (i + 1) + " " + m.group());
              }
            } catch (IllegalArgumentException e) {
              failures.add(f.getFileName() + ":" + (i + 1) + " " + e.getMessage());
            }
          }
        }
      }
    }
    assertThat(literals).isGreaterThan(500);
    assertThat(failures).isEmpty();
  }
}
