package dev.vigil.promql.functions;

import dev.vigil.model.histogram.ClassicBucketQuantile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuantilesTest {
  static Stream<Arguments> quantileCases() {
    return Stream.of(
        Arguments.argumentSet("median of four", 0.5, new double[] {4, 1, 3, 2}, 2.5),
        Arguments.argumentSet("min", 0.0, new double[] {4, 1, 3, 2}, 1.0),
        Arguments.argumentSet("max", 1.0, new double[] {4, 1, 3, 2}, 4.0),
        Arguments.argumentSet("single value", 0.9, new double[] {7}, 7.0),
        Arguments.argumentSet("empty is NaN", 0.5, new double[] {}, Double.NaN),
        Arguments.argumentSet("q below 0", -0.1, new double[] {1, 2}, Double.NEGATIVE_INFINITY),
        Arguments.argumentSet("q above 1", 1.1, new double[] {1, 2}, Double.POSITIVE_INFINITY),
        Arguments.argumentSet("NaN q", Double.NaN, new double[] {1, 2}, Double.NaN),
        Arguments.argumentSet("NaN sorts first", 0.0, new double[] {3, Double.NaN}, Double.NaN),
        Arguments.argumentSet("interpolates", 0.25, new double[] {0, 10}, 2.5));
  }

  @ParameterizedTest
  @MethodSource("quantileCases")
  void quantile(double q, double[] values, double expected) {
    double got = Quantiles.quantile(q, values.clone(), values.length);
    if (Double.isNaN(expected)) {
      assertThat(got).isNaN();
    } else {
      assertThat(got).isCloseTo(expected, within(1e-12));
    }
  }

  static Stream<Arguments> bucketCases() {
    return Stream.of(
        Arguments.argumentSet("inside first bucket", 0.5,
            new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}, 1.0, false),
        Arguments.argumentSet("in +Inf bucket gives last finite bound", 0.99,
            new double[] {1, 2, Double.POSITIVE_INFINITY}, new double[] {1, 2, 10}, 2.0, false),
        Arguments.argumentSet("no +Inf bucket", 0.5, new double[] {1, 2}, new double[] {1, 2},
            Double.NaN, false),
        Arguments.argumentSet("zero observations", 0.5,
            new double[] {1, Double.POSITIVE_INFINITY}, new double[] {0, 0}, Double.NaN, false),
        Arguments.argumentSet("non-monotonic is fixed", 0.5,
            new double[] {1, 2, Double.POSITIVE_INFINITY}, new double[] {4, 2, 8}, 1.0, true),
        Arguments.argumentSet("unsorted input", 0.5,
            new double[] {Double.POSITIVE_INFINITY, 1}, new double[] {2, 1}, 1.0, false));
  }

  @ParameterizedTest
  @MethodSource("bucketCases")
  void bucketQuantile(double q, double[] upper, double[] count, double expected,
      boolean forced) {
    // histogram_quantile on classic buckets goes through the model's ClassicBucketQuantile.
    ClassicBucketQuantile.Result r =
        ClassicBucketQuantile.quantile(q, upper.clone(), count.clone(), upper.length);
    if (Double.isNaN(expected)) {
      assertThat(r.value()).isNaN();
    } else {
      assertThat(r.value()).isCloseTo(expected, within(1e-12));
    }
    assertThat(r.forcedMonotonicity()).isEqualTo(forced);
  }
}
