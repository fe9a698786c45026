package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded generated-input loops: format/parse round trips and mutated literals. */
class HistogramNotationFuzzTest {
  private static final CounterResetHint[] HINTS = CounterResetHint.values();

  @Test
  void formatThenParseIsIdentityAfterCompaction() {
    Random rnd = new Random(7);
    for (int i = 0; i < 2000; i++) {
      FloatHistogram h = random(rnd);
      String text = HistogramNotation.format(h);
      FloatHistogram back = HistogramNotation.parse(text);
      FloatHistogram expected = h.compact(Integer.MAX_VALUE);
      assertThat(back.equalsExact(expected)).as(text).isTrue();
      assertThat(back.counterResetHint()).isEqualTo(h.counterResetHint());
      assertThat(HistogramNotation.format(back)).isEqualTo(text);
      assertThat(HistogramNotation.matchesExpected(back, h, true)).isTrue();
    }
  }

  @Test
  void mutatedLiteralsFailOnlyWithNotationErrors() {
    Random rnd = new Random(11);
    String alphabet = "{}[]:- .0123456789xeEIfNa_bucketsofzwhinrg";
    for (int i = 0; i < 5000; i++) {
      StringBuilder s = new StringBuilder(HistogramNotation.format(random(rnd)));
      int edits = 1 + rnd.nextInt(3);
      for (int e = 0; e < edits && s.length() > 0; e++) {
        int pos = rnd.nextInt(s.length());
        switch (rnd.nextInt(3)) {
          case 0 -> s.deleteCharAt(pos);
          case 1 -> s.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
          default -> s.setCharAt(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
      }
      try {
        HistogramNotation.parse(s.toString());
      } catch (HistogramNotation.HistogramNotationException expected) {
        assertThat(expected.position()).isBetween(0, s.length());
      }
    }
  }

  private static FloatHistogram random(Random rnd) {
    boolean custom = rnd.nextInt(4) == 0;
    int schema = custom ? -53 : rnd.nextInt(13) - 4;
    List<Span> pos = new ArrayList<>();
    double[] pb = buckets(rnd, pos, custom ? 0 : -5);
    List<Span> neg = new ArrayList<>();
    double[] nb = custom ? new double[0] : buckets(rnd, neg, -5);
    double[] cv = null;
    if (custom) {
      int last = 0;
      for (Span s : pos) {
        last += s.offset() + s.length();
      }
      cv = new double[Math.max(0, last - 1) + rnd.nextInt(3)];
      for (int i = 0; i < cv.length; i++) {
        cv[i] = i * 0.5 + rnd.nextInt(2) * 0.25;
      }
    }
    return new FloatHistogram(HINTS[rnd.nextInt(HINTS.length)], schema,
        custom ? 0 : rnd.nextInt(3) * 0.001, custom ? 0 : value(rnd), value(rnd), value(rnd) - 1,
        pos, pb, neg, nb, cv);
  }

  private static double value(Random rnd) {
    return switch (rnd.nextInt(8)) {
      case 0 -> 0;
      case 1 -> rnd.nextDouble() * 1e-7;
      case 2 -> rnd.nextDouble() * 1e12;
      case 3 -> Double.NaN;
      default -> rnd.nextInt(100) / 4.0;
    };
  }

  private static double[] buckets(Random rnd, List<Span> spans, int minOffset) {
    List<Double> b = new ArrayList<>();
    int k = rnd.nextInt(4);
    for (int i = 0; i < k; i++) {
      int len = rnd.nextInt(4);
      spans.add(new Span(i == 0 ? minOffset + rnd.nextInt(10) : rnd.nextInt(4), len));
      for (int j = 0; j < len; j++) {
        b.add(rnd.nextInt(3) == 0 ? 0 : value(rnd));
      }
    }
    return b.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
