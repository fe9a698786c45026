package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationTest {

  static Stream<Arguments> invalid() {
    return Stream.of(
        argumentSet("negative bucket", HistogramNotation.parse("{{count:1 buckets:[1 -1]}}"),
            "positive side: bucket number 2 has observation count of -1.0: histogram has a bucket"
                + " whose observation count is negative"),
        argumentSet("negative count", HistogramNotation.parse("{{count:-1}}"),
            "observation count is  -1.0: histogram's observation count is negative"),
        argumentSet("spans and buckets disagree", new FloatHistogram(CounterResetHint.UNKNOWN, 0,
            0, 0, 1, 0, List.of(new Span(0, 2)), new double[] {1}, List.of(), new double[0],
            null), "positive side: spans need 2 buckets, have 1 buckets: histogram spans specify"
                + " different number of buckets than provided"),
        argumentSet("bad schema", HistogramNotation.parse("{{schema:9}}"),
            "histogram has an invalid schema, which must be between -4 and 8 for exponential"
                + " buckets, or -53 for custom buckets, got schema 9"),
        argumentSet("custom bounds not increasing",
            HistogramNotation.parse("{{schema:-53 custom_values:[2 1]}}"),
            "custom buckets: previous bound is 2.0 and current is 1.0: histogram custom bounds"
                + " must be in strictly increasing order"),
        argumentSet("custom with zero bucket",
            HistogramNotation.parse("{{schema:-53 z_bucket:1 custom_values:[1]}}"),
            "custom buckets: must have zero count of 0"),
        argumentSet("exponential with custom bounds",
            HistogramNotation.parse("{{schema:0 custom_values:[1]}}"),
            "histogram with exponential schema must not have custom bounds"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejects(FloatHistogram h, String message) {
    assertThatThrownBy(h::validate).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void acceptsValidHistograms() {
    assertThatCode(() -> HistogramNotation.parse(
        "{{schema:3 count:5 z_bucket:1 buckets:[1 0 2] n_buckets:[1]}}").validate())
        .doesNotThrowAnyException();
    assertThatCode(() -> HistogramNotation.parse(
        "{{schema:-53 count:3 custom_values:[1 2] buckets:[1 1 1]}}").validate())
        .doesNotThrowAnyException();
  }
}
