package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-checked cases; the bulk of the checks runs against the scripts in ConformanceStatisticsTest. */
class HistogramStatisticsTest {

  private static FloatHistogram h(String s) {
    return HistogramNotation.parse(s);
  }

  static Stream<Arguments> quantiles() {
    FloatHistogram single = h("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}");
    FloatHistogram custom = h("{{schema:-53 sum:5 count:4 custom_values:[2 4] buckets:[1 2 1]}}");
    FloatHistogram negative = h("{{schema:0 sum:-5 count:4 n_buckets:[1 2 1]}}");
    FloatHistogram zeroOnly = h("{{schema:0 sum:0 count:4 z_bucket:4 z_bucket_w:1 buckets:[0]}}");
    return Stream.of(
        argumentSet("exponential interpolation: sqrt(2) halfway through (1,2]", 0.5, single,
            Math.sqrt(2)),
        argumentSet("q=0 lower end of lowest bucket", 0, single, 0.5),
        argumentSet("q=1 upper end", 1, single, 4),
        argumentSet("q<0", -1, single, Double.NEGATIVE_INFINITY),
        argumentSet("q>1", 2, single, Double.POSITIVE_INFINITY),
        argumentSet("NaN q", Double.NaN, single, Double.NaN),
        argumentSet("linear in custom buckets", 0.5, custom, 3),
        argumentSet("first custom bucket starts at 0", 0.125, custom, 1),
        argumentSet("+Inf custom bucket gives its lower bound", 0.99, custom, 4),
        argumentSet("mirrored for negative buckets", 0.5, negative, -Math.sqrt(2)),
        argumentSet("zero bucket with only positive buckets starts at 0", 0.5, zeroOnly, 0.5),
        argumentSet("empty histogram", 0.5, h("{{}}"), Double.NaN));
  }

  @ParameterizedTest
  @MethodSource("quantiles")
  void quantile(double q, FloatHistogram h, double expected) {
    double v = HistogramStatistics.quantileValue(q, h);
    if (Double.isNaN(expected)) {
      assertThat(v).isNaN();
    } else {
      assertThat(v).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void nanObservationsAreAnnotated() {
    // 4 observations in buckets, 2 NaN observations only in the count.
    FloatHistogram h = h("{{schema:0 sum:NaN count:6 buckets:[1 2 1]}}");
    HistogramStatistics.Estimate high = HistogramStatistics.quantile(0.9, h);
    assertThat(high.value()).isNaN();
    assertThat(high.note()).isEqualTo(HistogramStatistics.Note.QUANTILE_NAN_RESULT);
    HistogramStatistics.Estimate low = HistogramStatistics.quantile(0.1, h);
    assertThat(low.value()).isFinite();
    assertThat(low.note()).isEqualTo(HistogramStatistics.Note.QUANTILE_NAN_SKEW);
    HistogramStatistics.Estimate all = HistogramStatistics.fraction(
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, h);
    assertThat(all.value()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(all.note()).isEqualTo(HistogramStatistics.Note.FRACTION_NAN_OBSERVATIONS);
  }

  @Test
  void fraction() {
    FloatHistogram single = h("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}");
    assertThat(HistogramStatistics.fractionValue(1, 2, single)).isEqualTo(0.5);
    assertThat(HistogramStatistics.fractionValue(0, 8, single)).isEqualTo(1);
    // Inverse of the quantile: up to sqrt(2) lies half of the (1,2] bucket, i.e. 1/4 + 1/4.
    assertThat(HistogramStatistics.fractionValue(Double.NEGATIVE_INFINITY, Math.sqrt(2), single))
        .isCloseTo(0.5, within(1e-12));
    assertThat(HistogramStatistics.fractionValue(2, 1, single)).isZero();
    assertThat(HistogramStatistics.fractionValue(Double.NaN, 1, single)).isNaN();
  }

  @Test
  void stddevUsesGeometricMidpointsForExponentialBuckets() {
    // One observation in (1,2] (midpoint sqrt 2) and one in (2,4] (midpoint 2 sqrt 2), mean 3.
    FloatHistogram h = h("{{schema:0 sum:6 count:2 offset:1 buckets:[1 1]}}");
    double a = Math.sqrt(2) - 3;
    double b = 2 * Math.sqrt(2) - 3;
    assertThat(HistogramStatistics.stdvar(h)).isCloseTo((a * a + b * b) / 2, within(1e-12));
    assertThat(HistogramStatistics.stddev(h))
        .isCloseTo(Math.sqrt((a * a + b * b) / 2), within(1e-12));
    FloatHistogram custom = h("{{schema:-53 sum:4 count:2 custom_values:[1 3 5] offset:1"
        + " buckets:[1 1]}}");
    assertThat(HistogramStatistics.stdvar(custom)).isCloseTo(2, within(1e-12));
    assertThat(HistogramStatistics.avg(custom)).isEqualTo(2);
  }

  @Test
  void trimKeepsTheInterpolatedShare() {
    FloatHistogram h = h("{{schema:0 sum:10 count:4 buckets:[1 2 1]}}");
    FloatHistogram below = h.trimBuckets(Math.sqrt(2), true);
    assertThat(below.count()).isCloseTo(2, within(1e-12));
    assertThat(below.positiveBuckets()).containsExactly(new double[] {1, 1}, within(1e-12));
    FloatHistogram above = h.trimBuckets(2, false);
    assertThat(HistogramNotation.format(above)).isEqualTo(
        "{{count:1 sum:2.8284271247461903 offset:2 buckets:[1]}}");
    assertThat(h.trimBuckets(100, true)).isSameAs(h);
  }
}
