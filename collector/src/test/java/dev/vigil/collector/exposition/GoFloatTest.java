package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {
  private static double parse(String s) throws GoFloat.SyntaxException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return GoFloat.parse(b, 0, b.length);
  }

  @ParameterizedTest
  @CsvSource({
    "1,1", "-1.5,-1.5", "+2,2", ".5,0.5", "5.,5", "1e3,1000", "1E-3,0.001", "4.9351e-05,4.9351e-05",
    "7.424100000000001e-05,7.424100000000001e-05", "123456789012345678901234,1.2345678901234568E23",
    "0.000000000000000000000000001,1e-27", "1e-400,0", "00012,12"
  })
  void parsesLikeStrconv(String in, double expected) throws Exception {
    assertThat(parse(in)).isEqualTo(expected);
  }

  @Test
  void specials() throws Exception {
    assertThat(parse("NaN")).isNaN();
    assertThat(parse("nan")).isNaN();
    assertThat(parse("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parse("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
    for (String bad : new String[] {"+NaN", "true", "1.2.3", "e5", "1e", "", "-", "0x10", "1d", "Infinit", " 1"}) {
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(GoFloat.SyntaxException.class);
    }
  }

  @Test
  void fastPathAgreesWithJava() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      String s = rnd.nextBoolean() ? Double.toString(d) : String.valueOf(rnd.nextLong(1_000_000_000L)) + "." + rnd.nextInt(1000);
      assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1,1.0", "0,0.0", "0.25,0.25", "100000,100000.0", "1000000,1e+06", "1234567,1.234567e+06",
    "0.0001,0.0001", "0.00001,1e-05", "-2.5,-2.5", "1.5e300,1.5e+300"
  })
  void formatsLikeFormatOpenMetricsFloat(double in, String expected) {
    assertThat(GoFloat.formatOpenMetrics(in)).isEqualTo(expected);
  }
}
