package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassicBucketQuantileTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static final double[] REAL_BOUNDS = {1, 5, 10, 25, 50, 64, 80, 100, 250, 1000, INF};
  private static final double[] REAL2_BOUNDS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, INF};

  /** Cases of Prometheus's TestBucketQuantile_ForcedMonotonicity (promql/quantile_test.go). */
  static Stream<Arguments> prometheusCases() {
    return Stream.of(
        argumentSet("simple - monotonic", new double[] {10, 15, 20, 30, INF},
            new double[] {10, 15, 15, 15, 15}, false,
            new double[][] {{1, 15}, {0.99, 14.85}, {0.9, 13.5}, {0.5, 7.5}}),
        argumentSet("simple - non-monotonic middle", new double[] {10, 15, 20, 30, INF},
            new double[] {10, 15, 15.00000000001, 15, 15}, true,
            new double[][] {{1, 15}, {0.99, 14.85}, {0.9, 13.5}, {0.5, 7.5}}),
        argumentSet("real example - monotonic", REAL_BOUNDS,
            new double[] {6454661.3014166197, 8339611.2001912938, 14118319.2444762159,
                14130031.5272856522, 46001270.3030008152, 46008473.8585563600, 46008473.8585563600,
                46008473.8585563600, 46008473.8585563600, 46008473.8585563600,
                46008473.8585563600}, false,
            new double[][] {{1, 64}, {0.99, 49.64475715376406}, {0.9, 46.39671690938454},
                {0.5, 31.96098248992002}}),
        argumentSet("real example - non-monotonic", REAL_BOUNDS,
            new double[] {6454661.3014166225, 8339611.2001912957, 14118319.2444762159,
                14130031.5272856504, 46001270.3030008227, 46008473.8585563824, 46008473.8585563898,
                46008473.8585563824, 46008473.8585563824, 46008473.8585563898,
                46008473.8585563824}, true,
            new double[][] {{1, 64}, {0.99, 49.64475715376406}, {0.9, 46.39671690938454},
                {0.5, 31.96098248992002}}),
        argumentSet("real example 2 - monotonic", REAL2_BOUNDS,
            new double[] {9.6, 9.688888889, 9.755555556, 9.844444444, 9.888888889, 9.888888889,
                9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889,
                9.888888889, 9.888888889, 9.888888889}, false,
            new double[][] {{1, 0.1}, {0.99, 0.03468750000281261}, {0.9, 0.00463541666671875},
                {0.5, 0.0025752314815104174}}),
        argumentSet("real example 2 - non-monotonic", REAL2_BOUNDS,
            new double[] {9.6, 9.688888889, 9.755555556, 9.844444444, 9.888888889, 9.888888889,
                9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889001, 9.888888889,
                9.888888888999, 9.888888889, 9.888888889}, true,
            new double[][] {{1, 0.1}, {0.99, 0.03468750000281261}, {0.9, 0.00463541666671875},
                {0.5, 0.0025752314815104174}}));
  }

  @ParameterizedTest
  @MethodSource("prometheusCases")
  void matchesPrometheus(double[] bounds, double[] counts, boolean fixed, double[][] expected) {
    for (double[] qv : expected) {
      ClassicBucketQuantile.Result r = ClassicBucketQuantile.quantile(
          qv[0], bounds.clone(), counts.clone(), bounds.length);
      assertThat(r.forcedMonotonicity()).isFalse();
      assertThat(r.fixedPrecision()).isEqualTo(fixed);
      assertThat(r.value()).isCloseTo(qv[1], within(Math.abs(qv[1]) * 1e-12));
    }
  }

  @Test
  void forcesMonotonicityAndReportsWhere() {
    double[] bounds = {1, 2, 4, 8, INF};
    double[] counts = {5, 10, 7, 12, 12};
    ClassicBucketQuantile.Result r = ClassicBucketQuantile.quantile(0.5, bounds, counts, 5);
    assertThat(r.forcedMonotonicity()).isTrue();
    assertThat(r.minBucket()).isEqualTo(4);
    assertThat(r.maxBucket()).isEqualTo(4);
    assertThat(r.maxDiff()).isEqualTo(3);
    assertThat(counts).startsWith(5, 10, 10, 12, 12);
    // rank 6 falls into (1,2] holding 5: 1 + 1 * (1/5).
    assertThat(r.value()).isCloseTo(1.2, within(1e-12));
  }

  static Stream<Arguments> edgeCases() {
    return Stream.of(
        argumentSet("NaN q", Double.NaN, new double[] {1, INF}, new double[] {1, 2}, Double.NaN),
        argumentSet("q below 0", -0.1, new double[] {1, INF}, new double[] {1, 2},
            Double.NEGATIVE_INFINITY),
        argumentSet("q above 1", 1.1, new double[] {1, INF}, new double[] {1, 2}, INF),
        argumentSet("no +Inf bucket", 0.5, new double[] {1, 2}, new double[] {1, 2}, Double.NaN),
        argumentSet("only +Inf bucket", 0.5, new double[] {INF}, new double[] {3}, Double.NaN),
        argumentSet("no observations", 0.5, new double[] {1, INF}, new double[] {0, 0},
            Double.NaN),
        argumentSet("in +Inf bucket gives second highest bound", 0.9,
            new double[] {1, 2, INF}, new double[] {1, 2, 10}, 2),
        argumentSet("lowest bucket at or below zero returns its bound", 0.1,
            new double[] {-1, 0, INF}, new double[] {5, 6, 10}, -1),
        argumentSet("lowest positive bucket starts at zero", 0.25,
            new double[] {4, 8, INF}, new double[] {4, 8, 8}, 2),
        argumentSet("unsorted input", 0.5,
            new double[] {INF, 4, 2}, new double[] {4, 4, 2}, 2),
        argumentSet("duplicate bounds coalesce", 0.5,
            new double[] {2, 2, 4, INF}, new double[] {1, 1, 4, 4}, 2));
  }

  @ParameterizedTest
  @MethodSource("edgeCases")
  void edgeCases(double q, double[] bounds, double[] counts, double expected) {
    double v = ClassicBucketQuantile.quantile(q, bounds, counts, bounds.length).value();
    if (Double.isNaN(expected)) {
      assertThat(v).isNaN();
    } else {
      assertThat(v).isEqualTo(expected);
    }
  }

  @Test
  void fraction() {
    double[] bounds = {1, 2, 4, INF};
    double[] counts = {2, 4, 8, 8};
    assertThat(ClassicBucketQuantile.fraction(0, 2, bounds.clone(), counts.clone(), 4))
        .isEqualTo(0.5);
    assertThat(ClassicBucketQuantile.fraction(1.5, 3, bounds.clone(), counts.clone(), 4))
        .isCloseTo((3.0 + 2 + 1.0 - 3) / 8 * 1, within(1e-12));
    assertThat(ClassicBucketQuantile.fraction(3, 2, bounds.clone(), counts.clone(), 4)).isZero();
    assertThat(ClassicBucketQuantile.fraction(Double.NaN, 2, bounds.clone(), counts.clone(), 4))
        .isNaN();
    assertThat(ClassicBucketQuantile.fraction(
        Double.NEGATIVE_INFINITY, INF, bounds.clone(), counts.clone(), 4)).isEqualTo(1);
    assertThat(ClassicBucketQuantile.fraction(0, 1, new double[] {1, 2}, new double[] {1, 2}, 2))
        .isNaN();
  }
}
