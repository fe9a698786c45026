package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
  private static String value(double v) {
    return new JsonWriter().sampleValue(v).toString();
  }

  private static String ts(long ms) {
    return new JsonWriter().timestamp(ms).toString();
  }

  @Test
  void sampleValuesFollowPrometheusMarshalFloat() {
    assertThat(value(1)).isEqualTo("\"1\"");
    assertThat(value(-0.0)).isEqualTo("\"-0\"");
    assertThat(value(10.5)).isEqualTo("\"10.5\"");
    assertThat(value(0.1 + 0.2)).isEqualTo("\"0.30000000000000004\"");
    assertThat(value(Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(value(Double.POSITIVE_INFINITY)).isEqualTo("\"+Inf\"");
    assertThat(value(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Inf\"");
    assertThat(value(1e20)).isEqualTo("\"100000000000000000000\"");
    assertThat(value(1e21)).isEqualTo("\"1e+21\"");
    assertThat(value(1.5e-7)).isEqualTo("\"1.5e-07\"");
    assertThat(value(-2.5e300)).isEqualTo("\"-2.5e+300\"");
    assertThat(value(0.000001)).isEqualTo("\"0.000001\"");
    assertThat(value(123456789.125)).isEqualTo("\"123456789.125\"");
    // Subnormals one digit identifies: Go's shortest form, where Java's toString keeps two.
    assertThat(value(Double.MIN_VALUE)).isEqualTo("\"5e-324\"");
    assertThat(value(-Double.MIN_VALUE)).isEqualTo("\"-5e-324\"");
    assertThat(value(2 * Double.MIN_VALUE)).isEqualTo("\"1e-323\"");
    assertThat(value(3 * Double.MIN_VALUE)).isEqualTo("\"1.5e-323\"");
    assertThat(value(2.2250738585072011e-308)).isEqualTo("\"2.225073858507201e-308\"");
  }

  @Test
  void timestampsAreSecondsWithThreeDigitFractions() {
    assertThat(ts(1435781451781L)).isEqualTo("1435781451.781");
    assertThat(ts(1500)).isEqualTo("1.500");
    assertThat(ts(1005)).isEqualTo("1.005");
    assertThat(ts(2000)).isEqualTo("2");
    assertThat(ts(-1500)).isEqualTo("-1.500");
    assertThat(ts(0)).isEqualTo("0");
  }

  @Test
  void structureAndEscaping() {
    String json = new JsonWriter().beginObject().name("a").beginArray().value(1).value("x\"<\n")
        .endArray().name("b").beginObject().endObject().name("c").value("é😀").endObject()
        .toString();
    assertThat(json).isEqualTo("{\"a\":[1,\"x\\\"\\u003c\\n\"],\"b\":{},\"c\":\"é😀\"}");
  }
}
