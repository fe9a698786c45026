package dev.vigil.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoMathTest {
  static Stream<Arguments> powCases() {
    double inf = Double.POSITIVE_INFINITY;
    return Stream.of(
        Arguments.argumentSet("one to NaN is one", 1.0, Double.NaN, 1.0),
        Arguments.argumentSet("minus one to +Inf is one", -1.0, inf, 1.0),
        Arguments.argumentSet("minus one to -Inf is one", -1.0, -inf, 1.0),
        Arguments.argumentSet("NaN to zero is one", Double.NaN, 0.0, 1.0),
        Arguments.argumentSet("ordinary", 2.0, 10.0, 1024.0),
        Arguments.argumentSet("NaN base", Double.NaN, 2.0, Double.NaN));
  }

  @ParameterizedTest
  @MethodSource("powCases")
  void powMatchesGo(double x, double y, double expected) {
    assertThat(Double.valueOf(GoMath.pow(x, y))).isEqualTo(Double.valueOf(expected));
  }

  static Stream<Arguments> log2Cases() {
    return Stream.of(
        Arguments.argumentSet("power of two is exact", 8.0, 3.0),
        Arguments.argumentSet("fraction power of two", 0.125, -3.0),
        Arguments.argumentSet("zero", 0.0, Double.NEGATIVE_INFINITY),
        Arguments.argumentSet("negative", -1.0, Double.NaN),
        Arguments.argumentSet("+Inf", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
        Arguments.argumentSet("smallest subnormal", Double.MIN_VALUE, -1074.0));
  }

  @ParameterizedTest
  @MethodSource("log2Cases")
  void log2MatchesGo(double x, double expected) {
    assertThat(Double.valueOf(GoMath.log2(x))).isEqualTo(Double.valueOf(expected));
  }
}
