package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramRateTest {

  private static FloatHistogram h(String s) {
    return HistogramNotation.parse(s);
  }

  private static String increase(boolean counter, String... points) {
    FloatHistogram[] hs = new FloatHistogram[points.length];
    for (int i = 0; i < points.length; i++) {
      hs[i] = points[i] == null ? null : h(points[i]);
    }
    HistogramRate.Result r = HistogramRate.increase(hs, hs.length, null, counter);
    return r.increase() == null ? r.problem().name() : HistogramNotation.format(r.increase());
  }

  @Test
  void plainIncrease() {
    assertThat(increase(true, "{{count:2 sum:2 buckets:[1 1]}}", "{{count:5 sum:6 buckets:[2 3]}}"))
        .isEqualTo("{{count:3 sum:4 counter_reset_hint:gauge buckets:[1 2]}}");
  }

  @Test
  void resetInTheMiddleAddsThePreResetValue() {
    assertThat(increase(true, "{{count:2 sum:2 buckets:[1 1]}}", "{{count:6 sum:6 buckets:[3 3]}}",
        "{{count:1 sum:1 buckets:[1]}}"))
        .isEqualTo("{{count:5 sum:5 counter_reset_hint:gauge buckets:[3 2]}}");
  }

  @Test
  void resetAfterTheFirstSampleIgnoresIt() {
    // The first sample has a layout (custom buckets) incompatible with the rest: irrelevant.
    assertThat(increase(true, "{{schema:-53 count:9 custom_values:[1] buckets:[9]}}",
        "{{count:1 buckets:[1]}}", "{{count:3 buckets:[3]}}"))
        .isEqualTo("{{count:3 counter_reset_hint:gauge buckets:[3]}}");
  }

  @Test
  void explicitStartTimestampResets() {
    FloatHistogram[] hs = {h("{{count:2 buckets:[2]}}"), h("{{count:3 buckets:[3]}}"),
        h("{{count:4 buckets:[4]}}")};
    HistogramRate.Result r = HistogramRate.increase(hs, 3, new boolean[] {false, false, true}, true);
    assertThat(HistogramNotation.format(r.increase()))
        .isEqualTo("{{count:5 counter_reset_hint:gauge buckets:[5]}}");
  }

  @Test
  void lowestSchemaWins() {
    assertThat(increase(true, "{{schema:1 count:2 buckets:[1 1]}}",
        "{{schema:0 count:4 buckets:[2 2]}}"))
        .isEqualTo("{{count:2 counter_reset_hint:gauge buckets:[1 1]}}");
    // A bucket missing after merging to the lower schema is a reset: the increase is all of it.
    assertThat(increase(true, "{{schema:1 count:2 buckets:[1 1]}}",
        "{{schema:0 count:4 buckets:[4]}}"))
        .isEqualTo("{{count:4 counter_reset_hint:gauge buckets:[4]}}");
  }

  @Test
  void problemsAndAnnotations() {
    assertThat(increase(true, "{{count:1}}", null, "{{count:2}}"))
        .isEqualTo("MIXED_FLOATS_AND_HISTOGRAMS");
    assertThat(increase(true, "{{count:1 buckets:[1]}}",
        "{{schema:-53 count:2 custom_values:[1] buckets:[2]}}"))
        .isEqualTo("{{schema:-53 count:2 custom_values:[1] counter_reset_hint:gauge buckets:[2]}}");
    assertThat(increase(true, "{{count:1 buckets:[1]}}", "{{count:2 buckets:[2]}}",
        "{{schema:-53 count:2 custom_values:[1] buckets:[2]}}"))
        .isEqualTo("MIXED_EXPONENTIAL_AND_CUSTOM");
    FloatHistogram[] gauges = {h("{{count:5 counter_reset_hint:gauge}}"),
        h("{{count:2 counter_reset_hint:gauge}}")};
    HistogramRate.Result delta = HistogramRate.increase(gauges, 2, null, false);
    assertThat(delta.notGauge()).isFalse();
    assertThat(delta.increase().count()).isEqualTo(-3);
    assertThat(HistogramRate.increase(gauges, 2, null, true).notCounter()).isTrue();
    FloatHistogram[] counters = {h("{{count:1}}"), h("{{count:2}}")};
    assertThat(HistogramRate.increase(counters, 2, null, false).notGauge()).isTrue();
  }

  @Test
  void reconciledCustomBoundsAreReported() {
    FloatHistogram[] hs = {h("{{schema:-53 count:2 custom_values:[1 2] buckets:[1 1]}}"),
        h("{{schema:-53 count:4 custom_values:[2] buckets:[3 1]}}")};
    HistogramRate.Result r = HistogramRate.increase(hs, 2, null, true);
    assertThat(r.customBoundsReconciledSub()).isTrue();
    assertThat(HistogramNotation.format(r.increase()))
        .isEqualTo(
            "{{schema:-53 count:2 custom_values:[2] counter_reset_hint:gauge buckets:[1 1]}}");
  }
}
