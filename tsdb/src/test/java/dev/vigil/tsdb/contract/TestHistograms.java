package dev.vigil.tsdb.contract;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated histograms for codec tests. */
public final class TestHistograms {
  private TestHistograms() {}

  /** A random but valid-looking histogram; shared with the record tests. */
  public static FloatHistogram random(Random r) {
    int nSpans = r.nextInt(3);
    List<Span> spans = new ArrayList<>();
    int buckets = 0;
    for (int i = 0; i < nSpans; i++) {
      int len = r.nextInt(4);
      spans.add(new Span(r.nextInt(10) - 5, len));
      buckets += len;
    }
    double[] pb = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      pb[i] = r.nextInt(1000);
    }
    boolean custom = r.nextInt(4) == 0;
    return new FloatHistogram(CounterResetHint.values()[r.nextInt(4)],
        custom ? FloatHistogram.CUSTOM_BUCKETS_SCHEMA : r.nextInt(13) - 4, r.nextDouble(),
        r.nextInt(10), r.nextInt(100_000), r.nextGaussian() * 100, spans, pb,
        custom ? List.of() : spans, custom ? new double[0] : pb.clone(),
        custom ? new double[] {0.1, 1, 10} : null);
  }
}
