package dev.vigil.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoFormatTest {
  static Stream<Arguments> gCases() {
    return Stream.of(
        Arguments.argumentSet("integer", 6.0, "6"),
        Arguments.argumentSet("fraction", 0.5, "0.5"),
        Arguments.argumentSet("million uses exponent", 1e6, "1e+06"),
        Arguments.argumentSet("below 1e-4 uses exponent", 0.00001, "1e-05"),
        Arguments.argumentSet("NaN", Double.NaN, "NaN"),
        Arguments.argumentSet("+Inf", Double.POSITIVE_INFINITY, "+Inf"),
        Arguments.argumentSet("negative", -1.5, "-1.5"),
        Arguments.argumentSet("large mantissa", 123456.0, "123456"),
        // Go finds one digit where Java's Double.toString insists on two (4.9E-324).
        Arguments.argumentSet("smallest subnormal", Double.MIN_VALUE, "5e-324"),
        Arguments.argumentSet("negative smallest subnormal", -Double.MIN_VALUE, "-5e-324"),
        Arguments.argumentSet("two subnormal steps", 2 * Double.MIN_VALUE, "1e-323"),
        Arguments.argumentSet("three subnormal steps", 3 * Double.MIN_VALUE, "1.5e-323"),
        Arguments.argumentSet("largest subnormal", Double.MIN_NORMAL - Double.MIN_VALUE,
            "2.225073858507201e-308"));
  }

  @ParameterizedTest
  @MethodSource("gCases")
  void formatsLikeGoPercentG(double v, String expected) {
    assertThat(GoFormat.g(v)).isEqualTo(expected);
  }

  static Stream<Arguments> fCases() {
    return Stream.of(
        Arguments.argumentSet("integer", 6.0, "6"),
        Arguments.argumentSet("large", 1e21, "1000000000000000000000"),
        Arguments.argumentSet("small", 0.001, "0.001"),
        Arguments.argumentSet("-Inf", Double.NEGATIVE_INFINITY, "-Inf"),
        Arguments.argumentSet("smallest subnormal", Double.MIN_VALUE,
            "0." + "0".repeat(323) + "5"));
  }

  @ParameterizedTest
  @MethodSource("fCases")
  void formatsLikeGoFormatFloatF(double v, String expected) {
    assertThat(GoFormat.formatF(v)).isEqualTo(expected);
  }
}
