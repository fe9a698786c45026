package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloatHistogramTest {

  private static FloatHistogram h(List<Span> pos, double[] pb, double sum) {
    return new FloatHistogram(CounterResetHint.UNKNOWN, 3, 0.1, 1.1, 2.2, sum, pos, pb,
        List.of(new Span(0, 1)), new double[] {4}, null);
  }

  @Test
  void equalsExactFollowsPrometheusEquals() {
    FloatHistogram a = h(List.of(new Span(0, 1)), new double[] {3}, 9.7);
    // Same layout written with empty spans in between.
    FloatHistogram b = h(List.of(new Span(0, 0), new Span(0, 1), new Span(5, 0)),
        new double[] {3}, 9.7);
    assertThat(a.equalsExact(b)).isTrue();
    assertThat(a.equalsExact(a.withCounterResetHint(CounterResetHint.GAUGE))).isTrue();
    // An explicit empty bucket is a different layout.
    assertThat(a.equalsExact(h(List.of(new Span(0, 2)), new double[] {3, 0}, 9.7))).isFalse();
    assertThat(a.equalsExact(h(List.of(new Span(0, 1)), new double[] {3}, 9.8))).isFalse();
    // NaN sums compare by bits.
    FloatHistogram nan = h(List.of(new Span(0, 1)), new double[] {3}, Double.NaN);
    assertThat(nan.equalsExact(h(List.of(new Span(0, 1)), new double[] {3}, Double.NaN)))
        .isTrue();
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    assertThat(nan.equalsExact(h(List.of(new Span(0, 1)), new double[] {3}, stale))).isFalse();
    assertThat(a.equalsExact(null)).isFalse();
  }

  @Test
  void copyToSchemaAndReduceResolutionRejectBadTargets() {
    FloatHistogram a = HistogramNotation.parse("{{schema:1 count:3 buckets:[1 2]}}");
    assertThat(a.copyToSchema(1)).isSameAs(a);
    assertThat(HistogramNotation.format(a.copyToSchema(0))).isEqualTo("{{count:3 buckets:[1 2]}}");
    assertThatThrownBy(() -> a.copyToSchema(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.reduceResolution(1)).isInstanceOf(IllegalArgumentException.class);
    FloatHistogram c = HistogramNotation.parse("{{schema:-53 custom_values:[1]}}");
    assertThatThrownBy(() -> c.copyToSchema(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(c::zeroBucket).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void detectResetHonoursHintsAndLayouts() {
    FloatHistogram prev = HistogramNotation.parse("{{count:3 buckets:[1 2]}}");
    FloatHistogram grown = HistogramNotation.parse("{{count:4 buckets:[1 3]}}");
    FloatHistogram shrunk = HistogramNotation.parse("{{count:4 buckets:[2 1 1]}}");
    assertThat(grown.detectReset(prev)).isFalse();
    assertThat(shrunk.detectReset(prev)).isTrue();
    assertThat(shrunk.withCounterResetHint(CounterResetHint.NOT_COUNTER_RESET).detectReset(prev))
        .isFalse();
    assertThat(grown.withCounterResetHint(CounterResetHint.COUNTER_RESET).detectReset(prev))
        .isTrue();
    assertThat(grown.withCounterResetHint(CounterResetHint.GAUGE).detectReset(prev)).isFalse();
    FloatHistogram custom = HistogramNotation.parse("{{schema:-53 count:5 custom_values:[1]"
        + " buckets:[1 4]}}");
    assertThat(custom.detectReset(prev)).isTrue();
    // Mismatched custom bounds compare cumulative counts at shared bounds.
    FloatHistogram c1 = HistogramNotation.parse(
        "{{schema:-53 count:3 custom_values:[1 2] buckets:[1 1 1]}}");
    FloatHistogram c2 = HistogramNotation.parse(
        "{{schema:-53 count:4 custom_values:[2 3] buckets:[2 1 1]}}");
    FloatHistogram c3 = HistogramNotation.parse(
        "{{schema:-53 count:4 custom_values:[2 3] buckets:[1 2 1]}}");
    assertThat(c2.detectReset(c1)).isFalse();
    assertThat(c3.detectReset(c1)).isTrue();
  }

  @Test
  void mulDivNegate() {
    FloatHistogram a = HistogramNotation.parse("{{count:4 sum:2 z_bucket:2 buckets:[1 1]}}");
    assertThat(HistogramNotation.format(a.negate()))
        .isEqualTo("{{count:-4 sum:-2 z_bucket:-2 counter_reset_hint:gauge buckets:[-1 -1]}}");
    assertThat(HistogramNotation.format(a.div(2)))
        .isEqualTo("{{count:2 sum:1 z_bucket:1 buckets:[0.5 0.5]}}");
    assertThat(HistogramNotation.format(a.div(0)))
        .isEqualTo("{{count:+Inf sum:+Inf z_bucket:+Inf}}");
  }
}
